#pragma once
// Runs a yolo::train::Trainer on its own QThread. Lives there via moveToThread and is
// started by a queued signal; turns the trainer's callbacks into queued signals. No
// exception leaves run(): each run ends with exactly one of finished, failed or stopped.

#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>
#include <mutex>

#include "core/train/training_events.h"
#include "ui/train/metric_records.h"
#include "ui/train/run_config_metatype.h"

namespace yolo::train {
class Trainer;
}

namespace yolo::ui {

class TrainingWorker : public QObject {
  Q_OBJECT

 public:
  explicit TrainingWorker(QObject* parent = nullptr);
  ~TrainingWorker() override;

  // Safe from any thread (the GUI calls these directly, not through the event loop, since
  // the worker's thread is busy inside Trainer::run). Requests made before the trainer
  // exists apply as soon as it does.
  void requestPause();
  void requestResume();
  void requestStop();

 public Q_SLOTS:
  /// Starts a new run in `runDir`. Blocks this (worker) thread until the run ends.
  void startNew(const yolo::run::RunConfig& config, const QString& runDir);
  /// Continues the run in `runDir` from its last checkpoint.
  void startResume(const QString& runDir);

 Q_SIGNALS:
  void started(const QString& runDir, const yolo::run::RunConfig& config);
  void step(const yolo::ui::StepRecord& record);
  void epoch(const yolo::ui::EpochRecord& record);
  void event(const yolo::ui::EventRecord& record);
  void finished();
  void failed(const QString& message);
  void stopped();

 private:
  template <typename MakeTrainer>
  void run(MakeTrainer make);
  void releaseTrainer();

  std::mutex mutex_;  // guards trainer_ and the pending requests
  std::unique_ptr<train::Trainer> trainer_;
  bool stopRequested_ = false;
  bool pauseRequested_ = false;
};

}  // namespace yolo::ui
