#pragma once
// Evaluates a model on a dataset off the GUI thread (QtConcurrent), with progress and Cancel:
// the model is loaded, the images chosen (eval::openEvaluationSet, as `yolo-cli eval` does)
// and detected on the job's thread.

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/eval/evaluate_model.h"

namespace yolo::ui {

/// What an evaluation leaves for the view: the report (mAP, per class, and every image's
/// boxes and detections, which the error analysis judges at any threshold).
struct Evaluation {
  eval::EvaluationReport report;
  std::vector<std::string> classNames;  ///< the model's
  QString model;                        ///< the checkpoint evaluated
  QString description;                  ///< which images, from openEvaluationSet
  /// For an evaluation the trainer kept (core/eval/saved_evaluation.h): its run folder and
  /// epoch; empty and -1 for one made in the view.
  QString runDir;
  int epoch = -1;
};

class EvaluationJob : public QObject {
  Q_OBJECT

 public:
  explicit EvaluationJob(QObject* parent = nullptr);
  /// Cancels and waits: the evaluation checks the flag after each image.
  ~EvaluationJob() override;

  /// `model`: a run folder or checkpoint; `data`: an annotation file or any dataset folder or
  /// file `yolo-cli eval --data` takes. False when a job is already running.
  bool start(const QString& model, const QString& data, int threads = 0);
  void cancel() { cancel_ = true; }
  bool isRunning() const { return running_; }

 Q_SIGNALS:
  void progress(int done, int total);
  /// Exactly one of these ends each job.
  void finished(std::shared_ptr<const Evaluation> evaluation);
  void failed(const QString& message);
  void cancelled();

 private:
  std::atomic<bool> cancel_{false};
  QFuture<void> future_;
  bool running_ = false;
};

}  // namespace yolo::ui
