#pragma once
// The Train view: the run configuration form, Start / Pause / Resume / Stop, progress with
// ETA, live plots, an event log, and run folders opened to compare or follow.

#include <QString>
#include <QWidget>

#include "ui/train/metric_records.h"
#include "ui/train/training_session.h"

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QTimer;

namespace yolo::ui {

class FormPlanPreview;
class PlanEditor;
class PlottedRuns;
class RunConfigForm;
class TrainingPlots;

class TrainView : public QWidget {
  Q_OBJECT

 public:
  explicit TrainView(QWidget* parent = nullptr);

  TrainingSession* session() const { return session_; }
  RunConfigForm* form() const { return form_; }
  TrainingPlots* plots() const { return plots_; }
  /// The epochs and rates of the live run, editable while it trains.
  PlanEditor* planEditor() const { return planEditor_; }
  QPlainTextEdit* log() const { return log_; }
  /// The runs drawn on the plots, one item each (item data: the plot run index).
  QListWidget* runList() const { return runList_; }
  /// The problems that kept the last Start from running (empty when it ran).
  QString problemText() const;
  /// The folder of the live (or last) run; empty before any.
  QString currentRunDir() const { return currentRunDir_; }

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 public Q_SLOTS:
  /// Validates the form and starts a run; false (with the problems shown) when invalid.
  bool startTraining();
  void pauseTraining();
  void resumeTraining();
  void stopTraining();
  /// Continues the run in `runDir` from its last checkpoint.
  bool resumeRunFolder(const QString& runDir);
  /// Draws a run folder's curves over the others and follows its metrics.jsonl.
  void openRunFolder(const QString& runDir);
  void chooseRunToResume();
  void chooseRunToOpen();
  void clearPlots();
  /// Takes one run's curves off the plots (plot run index, see runList()); a followed run
  /// stops being followed. The live run keeps training, undrawn until Clear plots.
  void removePlottedRun(int plotRun);
  /// Removes the run selected in runList().
  void removeSelectedRun();
  void setDataFolder(const QString& folder);

 Q_SIGNALS:
  /// One line for the status bar: what training is doing.
  void statusMessage(const QString& text);
  void currentRunDirChanged(const QString& runDir);
  /// The live run measured its mAP after `epoch` (and kept that evaluation).
  void mapEvaluated(const QString& runDir, int epoch);
  /// An mAP point was clicked: the user wants `runDir`'s evaluation after `epoch`.
  void evaluationChosen(const QString& runDir, int epoch);
  void runEnded();

 private:
  void buildUi();
  void updateButtons();
  void appendLog(const QString& text, const QString& kind = {});
  /// Shown above the buttons until the next successful start; empty hides it.
  void showProblem(const QString& text);
  void beginLiveRun(const QString& runDir, bool loadHistory);
  void onStep(const StepRecord& r);
  void onEpoch(const EpochRecord& r);
  void onEvent(const EventRecord& e);
  /// Lists the runs on the plots again (after one was added or removed).
  void refreshRunList();
  /// Draws the plan editor's change to the live run as a preview, or takes it off.
  void previewPlanChange();
  /// Sends the plan editor's change to the live run (it applies before its next step).
  void applyPlanChange();
  /// The live run changed its plan: config.json is the new plan, drawn in place of the old.
  void onPlanChanged();
  /// Before Start: the form's plan (after a short pause in editing).
  void planFormSoon();

  TrainingSession* session_ = nullptr;
  RunConfigForm* form_ = nullptr;
  TrainingPlots* plots_ = nullptr;
  QPlainTextEdit* log_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* progressText_ = nullptr;
  QLabel* problem_ = nullptr;
  QString problemEvent_;  ///< the event problem_ shows ("map_failed", "write_failed")
  QPushButton* start_ = nullptr;
  QPushButton* pause_ = nullptr;
  QPushButton* resume_ = nullptr;
  QPushButton* stop_ = nullptr;
  QPushButton* resumeRun_ = nullptr;
  QPushButton* openRun_ = nullptr;
  QPushButton* clearPlots_ = nullptr;
  QListWidget* runList_ = nullptr;
  QPushButton* removeRun_ = nullptr;

  PlanEditor* planEditor_ = nullptr;
  FormPlanPreview* formPlan_ = nullptr;
  QTimer* formPlanTimer_ = nullptr;
  PlottedRuns* runs_ = nullptr;
  bool scheduleDrawn_ = false;
  qint64 stepsPerEpoch_ = 0;  ///< of the live run, from its step records
  run::RunConfig liveConfig_;
  QString currentRunDir_;
  QString lastStatus_;
};

}  // namespace yolo::ui
