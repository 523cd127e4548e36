#include "ui/data/generate_job.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "core/data/digit_source.h"

namespace yolo::ui {

GenerateJob::GenerateJob(QObject* parent) : QObject(parent) {}

GenerateJob::~GenerateJob() {
  cancel_ = true;
  future_.waitForFinished();
}

void GenerateJob::cancel() { cancel_ = true; }

bool GenerateJob::start(const data::GeneratorConfig& config, const QString& digitsFolder,
                        const QString& outDir) {
  if (running_) return false;
  running_ = true;
  cancel_ = false;
  // Results come back through queued calls on this object; the destructor waits for the
  // job, so `this` outlives it.
  future_ = QtConcurrent::run([this, config, digitsFolder, outDir] {
    enum class End { kFinished, kCancelled, kFailed } end = End::kFailed;
    QString text;
    try {
      const data::DigitSet digits = data::loadDigitsFolder(digitsFolder.toStdString());
      const data::GenerateSummary summary = data::generateDataset(
          config, digits, outDir.toStdString(),
          [this](int done, int total) { Q_EMIT progress(done, total); }, &cancel_,
          /*threads=*/0);
      if (summary.cancelled) {
        end = End::kCancelled;
      } else {
        end = End::kFinished;
        text = tr("%1 training and %2 test images, %3 digits, in %4 s")
                   .arg(summary.trainImages)
                   .arg(summary.testImages)
                   .arg(summary.totalBoxes())
                   .arg(summary.seconds, 0, 'f', 1);
      }
    } catch (const std::exception& e) {
      text = QString::fromStdString(e.what());
    } catch (...) {
      text = tr("unknown error while generating");
    }
    QMetaObject::invokeMethod(
        this,
        [this, end, text, outDir] {
          running_ = false;
          switch (end) {
            case End::kFinished:
              Q_EMIT finished(outDir, text);
              break;
            case End::kCancelled:
              Q_EMIT cancelled();
              break;
            case End::kFailed:
              Q_EMIT failed(text);
              break;
          }
        },
        Qt::QueuedConnection);
  });
  return true;
}

}  // namespace yolo::ui
