#include "ui/train/form_plan_preview.h"

#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "core/run/training_images.h"

namespace yolo::ui {

FormPlanPreview::FormPlanPreview(QObject* parent) : QObject(parent) {
  watcher_ = new QFutureWatcher<Count>(this);
  connect(watcher_, &QFutureWatcher<Count>::finished, this, [this] {
    const Count count = watcher_->result();
    counted_.insert(countingKey_, count);
    countingKey_.clear();
    // The form may have moved on meanwhile: answer (or count) what it shows now.
    plan(latest_);
  });
}

FormPlanPreview::~FormPlanPreview() { watcher_->waitForFinished(); }

QString FormPlanPreview::sourceKey(const run::RunConfig& config) {
  // What the count depends on; the file's time, so a dataset made again is counted again.
  const QString source = QString::fromStdString(
      config.dataset.empty() ? config.trainAnnotations + "|" + config.classesFile : config.dataset);
  const QString main =
      QString::fromStdString(config.dataset.empty() ? config.trainAnnotations : config.dataset);
  return QStringLiteral("%1|%2|%3|%4")
      .arg(source)
      .arg(config.validationShare)
      .arg(config.seed)
      .arg(QFileInfo(main).lastModified().toMSecsSinceEpoch());
}

void FormPlanPreview::plan(const run::RunConfig& config) {
  latest_ = config;
  if (config.dataset.empty() && config.trainAnnotations.empty()) {
    Q_EMIT unavailable(tr("no data chosen"));
    return;
  }
  const QString key = sourceKey(config);
  if (const auto it = counted_.constFind(key); it != counted_.constEnd()) return answer(*it);
  if (!countingKey_.isEmpty()) return;  // the finished count plans the latest config
  countingKey_ = key;
  watcher_->setFuture(QtConcurrent::run([config] {
    Count count;
    try {
      count.images = run::countTrainingImages(config);
    } catch (const std::exception& e) {
      count.error = QString::fromStdString(e.what());
    }
    return count;
  }));
}

void FormPlanPreview::answer(const Count& count) {
  if (!count.images || *count.images == 0 || latest_.batchSize < 1) {
    Q_EMIT unavailable(count.error.isEmpty() ? tr("no training images") : count.error);
    return;
  }
  const auto images = static_cast<qint64>(*count.images);
  const qint64 stepsPerEpoch = (images + latest_.batchSize - 1) / latest_.batchSize;
  Q_EMIT ready(train::scheduleFor(latest_, stepsPerEpoch), stepsPerEpoch, images);
}

}  // namespace yolo::ui
