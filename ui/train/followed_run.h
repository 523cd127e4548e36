#pragma once
// A run folder drawn on the training plots from its files: metrics.jsonl followed as it
// grows (a `yolo-cli train` elsewhere may still be writing it), the planned learning rate
// from config.json once the steps per epoch are known, and again when the run changes its
// plan ("schedule_adjusted").

#include <QObject>
#include <QString>

#include <optional>

#include "core/run/run_config.h"
#include "ui/train/metric_records.h"

namespace yolo::ui {

class MetricsFollower;
class TrainingPlots;

class FollowedRun : public QObject {
  Q_OBJECT

 public:
  /// Adds a run to `plots`; start() then reads `runDir`/metrics.jsonl and follows it.
  FollowedRun(const QString& runDir, TrainingPlots* plots, QObject* parent = nullptr);
  /// Reads what the file holds (signals fire now, so connect first) and follows it.
  void start();

  QString runDir() const { return runDir_; }
  int plotRun() const { return plotRun_; }
  qint64 lastStep() const { return lastStep_; }
  MetricsFollower* follower() const { return follower_; }

 Q_SIGNALS:
  void event(const yolo::ui::EventRecord& record);
  void stepped(qint64 step);

 private:
  void onStep(const StepRecord& r);
  void onEpoch(const EpochRecord& r);
  void onEvent(const EventRecord& e);
  /// config.json as it is now; empty when it cannot be read.
  void readConfig();
  void drawSchedule(qint64 stepsPerEpoch);

  QString runDir_;
  TrainingPlots* plots_ = nullptr;
  MetricsFollower* follower_ = nullptr;
  int plotRun_ = -1;
  std::optional<run::RunConfig> config_;
  bool scheduleDrawn_ = false;
  qint64 stepsPerEpoch_ = 0;
  qint64 lastStep_ = 0;
};

}  // namespace yolo::ui
