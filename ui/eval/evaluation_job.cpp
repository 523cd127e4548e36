#include "ui/eval/evaluation_job.h"

#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "core/eval/evaluation_set.h"
#include "core/infer/detector.h"

namespace yolo::ui {

EvaluationJob::EvaluationJob(QObject* parent) : QObject(parent) {}

EvaluationJob::~EvaluationJob() {
  cancel_ = true;
  future_.waitForFinished();
}

bool EvaluationJob::start(const QString& model, const QString& data, int threads) {
  if (running_) return false;
  running_ = true;
  cancel_ = false;
  // Results come back through queued calls on this object; the destructor waits for the
  // job, so `this` outlives it.
  future_ = QtConcurrent::run([this, model, data, threads] {
    std::shared_ptr<Evaluation> evaluation;
    QString error;
    try {
      // Many images follow: the detector's fastest set-up (bench/README.md, "Cold start").
      auto detector = infer::Detector::load(model.toStdString(), "auto", threads,
                                            infer::DetectorUse::kManyImages);
      eval::EvaluationSet set = eval::openEvaluationSet(data.toStdString(), *detector);
      auto result = std::make_shared<Evaluation>();
      result->report = eval::evaluateOnSamples(*detector, set.samples, 0.05f, 0.45f,
                                               [this](int done, int total) {
                                                 Q_EMIT progress(done, total);
                                                 return !cancel_;
                                               });
      result->report.issues = std::move(set.issues);
      result->classNames = detector->classNames();
      result->model = QString::fromStdString(detector->checkpointPath().string());
      result->description = QString::fromStdString(set.description);
      if (!result->report.cancelled) evaluation = std::move(result);
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    } catch (...) {
      error = tr("unknown error while evaluating");
    }
    QMetaObject::invokeMethod(
        this,
        [this, evaluation, error] {
          running_ = false;
          if (!error.isEmpty())
            Q_EMIT failed(error);
          else if (evaluation)
            Q_EMIT finished(evaluation);
          else
            Q_EMIT cancelled();
        },
        Qt::QueuedConnection);
  });
  return true;
}

}  // namespace yolo::ui
