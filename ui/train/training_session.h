#pragma once
// The GUI-thread side of training: owns the worker thread, knows what state the run is
// in (so buttons can enable only what makes sense), forwards the worker's signals.

#include <QObject>
#include <QString>

#include "ui/train/metric_records.h"
#include "ui/train/run_config_metatype.h"

class QThread;

namespace yolo::ui {

class TrainingWorker;

class TrainingSession : public QObject {
  Q_OBJECT

 public:
  enum class State { Idle, Starting, Running, Paused, Stopping };
  Q_ENUM(State)

  explicit TrainingSession(QObject* parent = nullptr);
  /// Stops a running job and waits for its thread (last.pt is saved by the trainer).
  ~TrainingSession() override;

  State state() const { return state_; }
  bool isActive() const { return state_ != State::Idle; }
  QString runDir() const { return runDir_; }

  /// False (and nothing happens) when a run is already active.
  bool start(const yolo::run::RunConfig& config, const QString& runDir);
  bool resumeRun(const QString& runDir);
  void pause();
  void resume();
  void stop();

 Q_SIGNALS:
  void stateChanged(yolo::ui::TrainingSession::State state);
  void started(const QString& runDir, const yolo::run::RunConfig& config);
  void step(const yolo::ui::StepRecord& record);
  void epoch(const yolo::ui::EpochRecord& record);
  void event(const yolo::ui::EventRecord& record);
  void finished();
  void failed(const QString& message);
  void stopped();

  // To the worker, queued across threads.
  void startNewRequested(const yolo::run::RunConfig& config, const QString& runDir);
  void startResumeRequested(const QString& runDir);

 private:
  void setState(State state);

  QThread* thread_ = nullptr;
  TrainingWorker* worker_ = nullptr;
  State state_ = State::Idle;
  QString runDir_;
};

}  // namespace yolo::ui
