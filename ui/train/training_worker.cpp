#include "ui/train/training_worker.h"

#include <exception>

#include "core/train/trainer.h"

namespace yolo::ui {

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<yolo::run::RunConfig>();
  qRegisterMetaType<yolo::ui::StepRecord>();
  qRegisterMetaType<yolo::ui::EpochRecord>();
  qRegisterMetaType<yolo::ui::EventRecord>();
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::requestPause() {
  std::lock_guard lock(mutex_);
  pauseRequested_ = true;
  if (trainer_) trainer_->pause();
}

void TrainingWorker::requestResume() {
  std::lock_guard lock(mutex_);
  pauseRequested_ = false;
  if (trainer_) trainer_->resume();
}

void TrainingWorker::requestStop() {
  std::lock_guard lock(mutex_);
  stopRequested_ = true;
  if (trainer_) trainer_->stop();
}

void TrainingWorker::startNew(const run::RunConfig& config, const QString& runDir) {
  run([&] { return std::make_unique<train::Trainer>(config, runDir.toStdString()); });
}

void TrainingWorker::startResume(const QString& runDir) {
  run([&] { return train::Trainer::resumeFrom(runDir.toStdString()); });
}

void TrainingWorker::releaseTrainer() {
  std::unique_ptr<train::Trainer> done;
  {
    std::lock_guard lock(mutex_);
    done = std::move(trainer_);
    stopRequested_ = pauseRequested_ = false;
  }
  // Destroyed outside the lock: joining the trainer's data threads may take a moment and
  // the GUI thread must never wait on it in requestPause/requestStop.
  done.reset();
}

template <typename MakeTrainer>
void TrainingWorker::run(MakeTrainer make) {
  // Observers run on this thread; emitting from here queues to the GUI's thread.
  train::TrainingObserver observer;
  observer.onStep = [this](const train::StepMetrics& m) { Q_EMIT step(toRecord(m)); };
  observer.onEpoch = [this](const train::EpochMetrics& m) { Q_EMIT epoch(toRecord(m)); };
  observer.onEvent = [this](const train::TrainingEvent& e) { Q_EMIT event(toRecord(e)); };

  try {
    std::unique_ptr<train::Trainer> trainer = make();
    train::Trainer* t = trainer.get();
    {
      std::lock_guard lock(mutex_);
      trainer_ = std::move(trainer);
      if (pauseRequested_) t->pause();
      if (stopRequested_) t->stop();
    }
    Q_EMIT started(QString::fromStdString(t->runDir().string()), t->config());
    const train::TrainingOutcome outcome = t->run(observer);
    releaseTrainer();
    if (outcome == train::TrainingOutcome::kFinished) {
      Q_EMIT finished();
    } else {
      Q_EMIT stopped();
    }
  } catch (const std::exception& e) {
    releaseTrainer();
    Q_EMIT failed(QString::fromStdString(e.what()));
  } catch (...) {
    releaseTrainer();
    Q_EMIT failed(tr("unknown error in the training thread"));
  }
}

}  // namespace yolo::ui
