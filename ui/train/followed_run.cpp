#include "ui/train/followed_run.h"

#include <QDir>
#include <QFileInfo>

#include <exception>

#include "ui/plots/training_plots.h"
#include "ui/train/metrics_follower.h"
#include "ui/train/run_schedule.h"

namespace yolo::ui {

FollowedRun::FollowedRun(const QString& runDir, TrainingPlots* plots, QObject* parent)
    : QObject(parent), runDir_(runDir), plots_(plots) {
  const QDir dir(runDir);
  try {
    config_ = run::loadRunConfig(dir.filePath(QStringLiteral("config.json")).toStdString());
  } catch (const std::exception&) {
    // Curves without the planned schedule are still worth showing.
  }
  plotRun_ = plots_->addRun(QFileInfo(runDir).fileName());
  follower_ = new MetricsFollower(this);
  connect(follower_, &MetricsFollower::step, this, &FollowedRun::onStep);
  connect(follower_, &MetricsFollower::epoch, this, &FollowedRun::onEpoch);
  connect(follower_, &MetricsFollower::event, this, &FollowedRun::event);
}

void FollowedRun::start() {
  follower_->follow(QDir(runDir_).filePath(QStringLiteral("metrics.jsonl")));
}

void FollowedRun::onStep(const StepRecord& r) {
  plots_->addStep(plotRun_, r);
  lastStep_ = r.step;
  Q_EMIT stepped(r.step);
  if (!scheduleDrawn_ && config_ && r.stepsPerEpoch > 0) {
    plots_->setSchedule(plotRun_, scheduleFor(*config_, r.stepsPerEpoch, r.totalSteps));
    scheduleDrawn_ = true;
  }
}

void FollowedRun::onEpoch(const EpochRecord& r) {
  plots_->addEpoch(plotRun_, r);
  // metrics.jsonl does not say how many steps an epoch has; the first epoch's end does.
  if (!scheduleDrawn_ && config_ && r.epoch >= 1 && r.step > 0) {
    plots_->setSchedule(plotRun_, scheduleFor(*config_, r.step / r.epoch));
    scheduleDrawn_ = true;
  }
}

}  // namespace yolo::ui
