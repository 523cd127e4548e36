#include "ui/train/plotted_runs.h"

#include <algorithm>

#include "ui/plots/training_plots.h"
#include "ui/train/followed_run.h"
#include "ui/train/metrics_follower.h"

namespace yolo::ui {

PlottedRuns::PlottedRuns(TrainingPlots* plots, QObject* parent) : QObject(parent), plots_(plots) {}

int PlottedRuns::beginLive(const QString& label) { return clear(label); }

FollowedRun* PlottedRuns::follow(const QString& runDir) {
  auto* run = new FollowedRun(runDir, plots_, this);
  followed_.push_back(run);
  Q_EMIT changed();
  return run;
}

bool PlottedRuns::remove(int plotRun) {
  if (!plots_->hasRun(plotRun)) return false;
  const auto it = std::find_if(followed_.begin(), followed_.end(),
                               [plotRun](FollowedRun* f) { return f->plotRun() == plotRun; });
  if (it != followed_.end()) {
    stopFollowing(*it);
    followed_.erase(it);
  }
  if (plotRun == liveRun_) liveRun_ = -1;
  plots_->removeRun(plotRun);
  Q_EMIT changed();
  return true;
}

int PlottedRuns::clear(const QString& liveLabel) {
  stopFollowingAll();
  plots_->clearRuns();
  liveRun_ = liveLabel.isEmpty() ? -1 : plots_->addRun(liveLabel);
  Q_EMIT changed();
  return liveRun_;
}

QVector<PlottedRuns::Entry> PlottedRuns::entries() const {
  QVector<Entry> out;
  for (int run = 0; run < plots_->runCount(); ++run)
    if (plots_->hasRun(run)) out.push_back({run, plots_->runLabel(run), run == liveRun_});
  return out;
}

void PlottedRuns::stopFollowingAll() {
  for (FollowedRun* f : followed_) stopFollowing(f);
  followed_.clear();
}

void PlottedRuns::stopFollowing(FollowedRun* run) {
  run->follower()->stop();  // no more points for a plot run index about to be reused
  run->deleteLater();
}

}  // namespace yolo::ui
