#pragma once
// The Evaluate view: a model scored on a dataset, as `yolo-cli eval` scores it (mAP@0.5,
// mAP@0.5:0.95, per class, with precision-recall curves; selecting a class brings its
// curve forward), and what it gets wrong: the kinds of error and a confusion
// matrix at a score and IoU the user chooses (re-judged at once, without the network), each
// cell listing its cases, and an error browser of the images with errors. The evaluation
// runs on a pool thread with progress and Cancel.

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

#include "core/eval/error_analysis.h"
#include "ui/eval/evaluation_job.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QSettings;
class QPushButton;
class QTableWidget;

namespace yolo::ui {

class ConfusionTable;
class ErrorBrowser;
class PrCurvesPlot;

class EvaluationView : public QWidget {
  Q_OBJECT

 public:
  explicit EvaluationView(QWidget* parent = nullptr);

  /// A run folder or checkpoint to evaluate; the next Evaluate uses it.
  void setModel(const QString& path);
  /// An annotation file or dataset to evaluate on.
  void setData(const QString& path);
  QString model() const;
  QString data() const;
  /// Fills the model or the data only where the user has not chosen one: the run the Train
  /// view shows, the dataset the Data view made or opened.
  void offerModel(const QString& path);
  void offerData(const QString& path);
  void restoreSettings(const QSettings& settings);
  void saveSettings(QSettings& settings) const;
  /// Starts the evaluation (or cancels the one running).
  void evaluate();

  /// Shows the evaluation the trainer kept after `epoch` of the run in `runDir` (read off
  /// the GUI thread; a failure is said in the summary).
  void showRunEvaluation(const QString& runDir, int epoch);
  /// Offers the evaluations the trainer kept of `runDir` in the epoch list, and shows the
  /// latest unless an evaluation made in the view is shown.
  void followRun(const QString& runDir);
  /// Training evaluated `epoch` of `runDir`: listed, and shown when the view shows that
  /// run's previous latest (a chosen earlier epoch, or an evaluation of one's own, stays).
  void runEvaluated(const QString& runDir, int epoch);
  /// The run whose kept evaluations are listed; empty when none.
  QString followedRun() const { return followedRun_; }
  bool isRunning() const { return job_->isRunning(); }

  /// The last finished evaluation and its error analysis at the chosen thresholds; null and
  /// empty before the first.
  const Evaluation* evaluation() const { return evaluation_.get(); }
  const eval::ErrorAnalysis& errors() const { return errors_; }
  void setErrorThresholds(double score, double iou);

  QLabel* summary() const { return summary_; }
  QLabel* errorCounts() const { return errorCounts_; }
  QTableWidget* perClass() const { return perClass_; }
  ConfusionTable* confusion() const { return confusion_; }
  PrCurvesPlot* prCurves() const { return prCurves_; }
  QListWidget* cases() const { return cases_; }
  ErrorBrowser* errorBrowser() const { return browser_; }

 Q_SIGNALS:
  void statusMessage(const QString& text);
  /// A case was double-clicked: look at `image` with the evaluated checkpoint `model`.
  void openInDetectView(const QString& image, const QString& model);

 private:
  void showEvaluation(std::shared_ptr<const Evaluation> evaluation);
  /// Lists the epochs of followedRun_ with a kept evaluation; selects `epoch` when listed.
  void listRunEpochs(int epoch);
  /// The latest listed epoch; -1 when none.
  int latestRunEpoch() const;
  void judge();
  void listCases(int truth, int predicted);
  void setRunning(bool running);
  QString className(int classId) const;

  EvaluationJob* job_ = nullptr;
  /// A kept evaluation read off the GUI thread: the evaluation, or why it could not be.
  struct KeptLoad {
    std::shared_ptr<const Evaluation> evaluation;
    QString error;
  };
  QFutureWatcher<KeptLoad>* keptLoad_ = nullptr;
  QString followedRun_;
  /// The kept evaluation shown or being read (its epoch); -1 when none is wanted (nothing
  /// yet, or an evaluation made in the view).
  int wantedEpoch_ = -1;
  QComboBox* runEpochs_ = nullptr;
  QWidget* runEpochsRow_ = nullptr;
  std::shared_ptr<const Evaluation> evaluation_;
  eval::ErrorAnalysis errors_;
  QLineEdit* model_ = nullptr;
  QLineEdit* data_ = nullptr;
  QPushButton* evaluateButton_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* summary_ = nullptr;
  QTableWidget* perClass_ = nullptr;
  QDoubleSpinBox* errorScore_ = nullptr;
  QDoubleSpinBox* errorIou_ = nullptr;
  QLabel* errorCounts_ = nullptr;
  ConfusionTable* confusion_ = nullptr;
  PrCurvesPlot* prCurves_ = nullptr;
  QListWidget* cases_ = nullptr;
  ErrorBrowser* browser_ = nullptr;
};

}  // namespace yolo::ui
