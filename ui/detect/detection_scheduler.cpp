#include "ui/detect/detection_scheduler.h"

#include <algorithm>

namespace yolo::ui {

DetectionScheduler::DetectionScheduler(QObject* parent) : QObject(parent) {}

void DetectionScheduler::modelLoading() {
  modelReady_ = false;
  ++pendingLoads_;
  cachedKey_.clear();
}

void DetectionScheduler::modelLoaded() {
  modelReady_ = true;
  pendingLoads_ = std::max(0, pendingLoads_ - 1);
  cachedKey_.clear();  // the worker's cached output belonged to the previous model
  wantNetwork_ = true;
  requestNext();
}

void DetectionScheduler::modelFailed() {
  modelReady_ = false;
  pendingLoads_ = std::max(0, pendingLoads_ - 1);
}

void DetectionScheduler::pictureChanged(const QString& key) {
  shownKey_ = key;
  wantNetwork_ = true;
  requestNext();
}

void DetectionScheduler::settingsChanged() {
  wantRefilter_ = true;
  requestNext();
}

bool DetectionScheduler::resultArrived(int requestId) {
  if (requestId != inFlight_) return false;
  inFlight_ = -1;
  cachedKey_ = inFlightKey_;
  const bool current = cachedKey_ == shownKey_;
  requestNext();  // what was asked for meanwhile
  return current;
}

void DetectionScheduler::requestFailed(int requestId) {
  if (requestId == inFlight_) inFlight_ = -1;
  requestNext();
}

bool DetectionScheduler::settled() const {
  const bool detectionDue = modelReady_ && wantNetwork_ && !shownKey_.isEmpty();
  return pendingLoads_ == 0 && inFlight_ < 0 && !detectionDue;
}

void DetectionScheduler::requestNext() {
  if (!modelReady_ || inFlight_ >= 0 || shownKey_.isEmpty()) return;
  const bool needNetwork = wantNetwork_ || shownKey_ != cachedKey_;
  if (!needNetwork && !wantRefilter_) return;
  inFlight_ = nextRequest_++;
  inFlightKey_ = shownKey_;
  wantNetwork_ = wantRefilter_ = false;
  if (needNetwork) {
    Q_EMIT networkRequested(inFlight_);
  } else {
    Q_EMIT refilterRequested(inFlight_);
  }
}

}  // namespace yolo::ui
