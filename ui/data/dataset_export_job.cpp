#include "ui/data/dataset_export_job.h"

#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "core/data/dataset_source.h"
#include "core/data/dataset_writer.h"

namespace yolo::ui {

DatasetExportJob::DatasetExportJob(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
    const Outcome outcome = watcher_.result();
    if (outcome.error.isEmpty()) {
      Q_EMIT finished(outDir_, outcome.summary);
    } else {
      Q_EMIT failed(outcome.error);
    }
  });
}

DatasetExportJob::~DatasetExportJob() { watcher_.waitForFinished(); }

bool DatasetExportJob::start(const QString& source, const QString& format, const QString& outDir) {
  if (isRunning()) return false;
  outDir_ = outDir;
  watcher_.setFuture(QtConcurrent::run([source, format, outDir]() -> Outcome {
    try {
      // The splits as the files have them: nothing is held out on export.
      const data::DatasetSplits d = data::openDatasetSplits(source.toStdString(), {0.0, 0});
      data::writeDataset(d, format.toStdString(), outDir.toStdString());
      return {QString(), tr("%1 dataset, %2 train and %3 validation images, %4 classes")
                             .arg(format)
                             .arg(d.train.size())
                             .arg(d.validation.size())
                             .arg(d.classNames.size())};
    } catch (const std::exception& e) {
      return {QString::fromStdString(e.what()), QString()};
    }
  }));
  return true;
}

}  // namespace yolo::ui
