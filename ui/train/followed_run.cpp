#include "ui/train/followed_run.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

#include "core/train/lr_schedule.h"
#include "ui/plots/training_plots.h"
#include "ui/train/metrics_follower.h"

namespace yolo::ui {

FollowedRun::FollowedRun(const QString& runDir, TrainingPlots* plots, QObject* parent)
    : QObject(parent), runDir_(runDir), plots_(plots) {
  readConfig();
  plotRun_ = plots_->addRun(QFileInfo(runDir).fileName());
  follower_ = new MetricsFollower(this);
  connect(follower_, &MetricsFollower::step, this, &FollowedRun::onStep);
  connect(follower_, &MetricsFollower::epoch, this, &FollowedRun::onEpoch);
  connect(follower_, &MetricsFollower::event, this, &FollowedRun::onEvent);
}

void FollowedRun::start() {
  follower_->follow(QDir(runDir_).filePath(QStringLiteral("metrics.jsonl")));
}

void FollowedRun::readConfig() {
  try {
    config_ =
        run::loadRunConfig(QDir(runDir_).filePath(QStringLiteral("config.json")).toStdString());
  } catch (const std::exception&) {
    config_.reset();  // curves without the planned schedule are still worth showing
  }
}

void FollowedRun::drawSchedule(qint64 stepsPerEpoch) {
  if (!config_ || stepsPerEpoch <= 0) return;
  stepsPerEpoch_ = stepsPerEpoch;
  plots_->setSchedule(plotRun_, train::scheduleFor(*config_, stepsPerEpoch));
  scheduleDrawn_ = true;
}

void FollowedRun::onStep(const StepRecord& r) {
  plots_->addStep(plotRun_, r);
  lastStep_ = r.step;
  Q_EMIT stepped(r.step);
  if (!scheduleDrawn_) drawSchedule(r.stepsPerEpoch);
}

void FollowedRun::onEpoch(const EpochRecord& r) {
  plots_->addEpoch(plotRun_, r);
  // metrics.jsonl does not say how many steps an epoch has; the first epoch's end does.
  if (!scheduleDrawn_ && r.epoch >= 1 && r.step > 0) drawSchedule(r.step / r.epoch);
}

void FollowedRun::onEvent(const EventRecord& e) {
  if (e.event == QLatin1String("schedule_adjusted")) {
    readConfig();
    drawSchedule(stepsPerEpoch_);
  }
  Q_EMIT event(e);
}

}  // namespace yolo::ui
