#pragma once
// Decides what the detection worker does next for the Detect view: one request in flight at
// a time, the latest wish waiting behind it (drawing asks many times a second), the network
// run only for a new picture, and a threshold change answered by re-filtering the network
// output the worker keeps for the last picture. Holds no widgets and no images: the view
// says what changed and sends the requests this object asks for.

#include <QObject>
#include <QString>

namespace yolo::ui {

class DetectionScheduler : public QObject {
  Q_OBJECT

 public:
  explicit DetectionScheduler(QObject* parent = nullptr);

  /// A model load was asked for: nothing is requested until it is answered.
  void modelLoading();
  /// The load succeeded: the shown picture is detected with the new model.
  void modelLoaded();
  void modelFailed();
  bool modelReady() const { return modelReady_; }

  /// The shown picture is `key` ("" when there is none: nothing is requested) and is new or
  /// has changed (a stroke drawn): it goes through the network.
  void pictureChanged(const QString& key);
  /// Score or NMS thresholds moved: the picture's result is made again.
  void settingsChanged();

  /// The worker answered request `requestId`. True when the result is for the picture shown
  /// now (the view draws it); false for an answer overtaken by another picture. The next
  /// wish, if any, is requested before this returns.
  bool resultArrived(int requestId);
  /// The worker could not answer `requestId`; the next wish, if any, is requested.
  void requestFailed(int requestId);

  /// True when nothing is on its way: no model loading, no request in flight or due for the
  /// shown picture (what is drawn is final).
  bool settled() const;

 Q_SIGNALS:
  /// Run the network on the shown picture, with the view's current settings.
  void networkRequested(int requestId);
  /// Re-filter the worker's cached output of the shown picture with the current settings.
  void refilterRequested(int requestId);

 private:
  void requestNext();

  bool modelReady_ = false;
  int pendingLoads_ = 0;  ///< modelLoading() calls not yet answered
  QString shownKey_;      ///< the picture on screen
  int nextRequest_ = 0;
  int inFlight_ = -1;  ///< the request the worker is answering, -1 when idle
  QString inFlightKey_;
  QString cachedKey_;  ///< the picture whose network output the worker keeps
  bool wantNetwork_ = false;
  bool wantRefilter_ = false;
};

}  // namespace yolo::ui
