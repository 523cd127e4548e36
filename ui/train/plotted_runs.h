#pragma once
// Which runs the training plots show: the live run (the one this window trains) and run
// folders opened to compare or follow. Adding, removing and clearing them, and stopping a
// followed run's file watching before its plot slot is reused, happen here only.

#include <QObject>
#include <QString>
#include <QVector>

#include <vector>

namespace yolo::ui {

class FollowedRun;
class TrainingPlots;

class PlottedRuns : public QObject {
  Q_OBJECT

 public:
  struct Entry {
    int plotRun = -1;  ///< the run's index on the plots
    QString label;
    bool live = false;
  };

  explicit PlottedRuns(TrainingPlots* plots, QObject* parent = nullptr);

  /// Takes every run off the plots and adds the live run `label`; returns its plot index.
  int beginLive(const QString& label);
  /// The live run's plot index; -1 when there is none or its curves were removed.
  int liveRun() const { return liveRun_; }
  /// Adds `runDir`, read from its files. Connect to the returned run, then call its start().
  FollowedRun* follow(const QString& runDir);
  /// Takes one run off the plots (a followed run stops following); false when there is none.
  /// Removing the live run leaves training alone: its points are no longer drawn.
  bool remove(int plotRun);
  /// Takes every run off the plots; with `liveLabel`, the live run is added again, empty.
  /// Returns the live run's new plot index, or -1.
  int clear(const QString& liveLabel = {});

  /// The runs on the plots, in plot order.
  QVector<Entry> entries() const;
  const std::vector<FollowedRun*>& followed() const { return followed_; }

 Q_SIGNALS:
  /// A run was added or removed.
  void changed();

 private:
  void stopFollowingAll();
  static void stopFollowing(FollowedRun* run);

  TrainingPlots* plots_ = nullptr;
  std::vector<FollowedRun*> followed_;
  int liveRun_ = -1;
};

}  // namespace yolo::ui
