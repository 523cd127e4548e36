#pragma once
// The three plots of a training run, stacked: losses (train per step, validation per
// epoch, on the same axes), learning rate (actual, and the whole planned schedule with a
// marker at the current step) and mAP@0.5 per evaluation. Several runs can be overlaid.

#include <QHash>
#include <QString>
#include <QVector>
#include <QWidget>

#include <vector>

#include "core/train/lr_schedule.h"
#include "ui/train/metric_records.h"

class QCheckBox;

namespace yolo::ui {

class PlotPanel;

class TrainingPlots : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingPlots(QWidget* parent = nullptr);

  /// A new run drawn over the others; `label` tells it apart in the legends.
  int addRun(const QString& label);
  void clearRuns();
  /// Takes one run's curves off every plot; the other runs keep their indices, and points
  /// later added to a removed run are dropped.
  void removeRun(int run);
  /// Runs ever added since the last clearRuns(), removed ones included (indices stay valid).
  int runCount() const { return static_cast<int>(runs_.size()); }
  /// True for a run that was added and not removed.
  bool hasRun(int run) const;
  QString runLabel(int run) const;

  void addStep(int run, const StepRecord& record);
  void addEpoch(int run, const EpochRecord& record);
  /// Draws the run's planned learning rate over all its steps.
  void setSchedule(int run, const train::LrSchedule& schedule);
  /// A learning-rate plan not in effect yet, drawn dashed over the runs: the form's
  /// settings before Start, or a change to the running run before it is applied. An
  /// empty `label` takes it off.
  void setPlanPreview(const train::LrSchedule& schedule, const QString& label);
  void clearPlanPreview() { setPlanPreview({}, QString()); }
  bool hasPlanPreview() const { return planPreview_ >= 0; }
  /// Marker at the step the live run is at (NaN: none).
  void setCurrentStep(double step);

  void setPerScaleVisible(bool visible);
  bool perScaleVisible() const { return perScale_; }

  PlotPanel* lossPanel() const { return loss_; }
  PlotPanel* lrPanel() const { return lr_; }
  PlotPanel* mapPanel() const { return map_; }

 Q_SIGNALS:
  /// An mAP point was clicked: `run`'s evaluation after `epoch`.
  void mapPointClicked(int run, int epoch);

 private:
  struct RunSeries {
    QString label;
    int total = -1, giou = -1, conf = -1, prob = -1;
    int valTotal = -1, valGiou = -1, valConf = -1, valProb = -1;
    QVector<int> perScale;  // giou/conf/prob per scale, created on first per-scale data
    int lr = -1, lrPlanned = -1, map = -1;
    bool removed = false;
    struct Named {
      PlotPanel* panel;
      int id;
      QString base;  // "total", "val giou", ...; the run's label is added when runs overlay
    };
    std::vector<Named> named;
  };

  /// Names every series again: the run's label is added only while several runs are drawn.
  void relabel();
  void ensurePerScale(int run, int scales);

  PlotPanel* loss_ = nullptr;
  PlotPanel* lr_ = nullptr;
  PlotPanel* map_ = nullptr;
  QCheckBox* perScaleBox_ = nullptr;
  std::vector<RunSeries> runs_;
  int planPreview_ = -1;  ///< series of lr_ drawing setPlanPreview(), -1 when none
  bool perScale_ = false;
};

}  // namespace yolo::ui
