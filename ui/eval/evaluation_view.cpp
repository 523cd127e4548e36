#include "ui/eval/evaluation_view.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "core/eval/saved_evaluation.h"
#include "ui/eval/confusion_table.h"
#include "ui/eval/error_browser.h"
#include "ui/eval/pr_curves_plot.h"

namespace yolo::ui {

namespace {

// A cell that sorts by its value, not by its text ("10" after "9").
class ValueItem : public QTableWidgetItem {
 public:
  ValueItem(const QString& text, double value) : QTableWidgetItem(text) {
    setData(Qt::UserRole, value);
  }
  bool operator<(const QTableWidgetItem& other) const override {
    return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
  }
};

QTableWidgetItem* number(double value, int decimals) {
  auto* item = new ValueItem(QString::number(value, 'f', decimals), value);
  item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QString boxText(float x1, float y1, float x2, float y2) {
  return QStringLiteral("%1,%2,%3,%4")
      .arg(x1, 0, 'f', 0)
      .arg(y1, 0, 'f', 0)
      .arg(x2, 0, 'f', 0)
      .arg(y2, 0, 'f', 0);
}

}  // namespace

EvaluationView::EvaluationView(QWidget* parent) : QWidget(parent) {
  job_ = new EvaluationJob(this);

  model_ = new QLineEdit;
  model_->setObjectName(QStringLiteral("evaluationModel"));
  model_->setPlaceholderText(tr("run folder or checkpoint (.pt)"));
  auto* chooseModel = new QPushButton(tr("Choose…"));
  connect(chooseModel, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("Model to evaluate"), model(),
                                                      tr("Checkpoints (*.pt)"));
    if (!file.isEmpty()) setModel(file);
  });
  data_ = new QLineEdit;
  data_->setObjectName(QStringLiteral("evaluationData"));
  data_->setPlaceholderText(
      tr("annotation file (evaluated whole), or a dataset (its validation split)"));
  auto* chooseData = new QPushButton(tr("Choose…"));
  connect(chooseData, &QPushButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Data to evaluate on"), data(),
        tr("Annotation files, data.yaml, obj.data, COCO JSON (*.txt *.yaml *.data *.json);;All "
           "files (*)"));
    if (!file.isEmpty()) setData(file);
  });
  evaluateButton_ = new QPushButton(tr("Evaluate"));
  evaluateButton_->setObjectName(QStringLiteral("evaluateButton"));
  connect(evaluateButton_, &QPushButton::clicked, this, &EvaluationView::evaluate);
  progress_ = new QProgressBar;
  progress_->setTextVisible(true);
  progress_->setValue(0);

  auto* inputs = new QFormLayout;
  auto* modelRow = new QHBoxLayout;
  modelRow->addWidget(model_, 1);
  modelRow->addWidget(chooseModel);
  inputs->addRow(tr("Model"), modelRow);
  auto* dataRow = new QHBoxLayout;
  dataRow->addWidget(data_, 1);
  dataRow->addWidget(chooseData);
  inputs->addRow(tr("Data"), dataRow);
  auto* runRow = new QHBoxLayout;
  runRow->addWidget(evaluateButton_);
  runRow->addWidget(progress_, 1);
  inputs->addRow(QString(), runRow);
  runEpochs_ = new QComboBox;
  runEpochs_->setObjectName(QStringLiteral("runEpochs"));
  runEpochs_->setToolTip(
      tr("The trainer keeps each mAP evaluation: choose an epoch to see what "
         "the detector got wrong then"));
  connect(runEpochs_, &QComboBox::activated, this, [this](int index) {
    showRunEvaluation(followedRun_, runEpochs_->itemData(index).toInt());
  });
  runEpochsRow_ = new QWidget;
  auto* epochsLayout = new QHBoxLayout(runEpochsRow_);
  epochsLayout->setContentsMargins(0, 0, 0, 0);
  epochsLayout->addWidget(new QLabel(tr("Evaluated during training:")));
  epochsLayout->addWidget(runEpochs_);
  epochsLayout->addStretch(1);
  runEpochsRow_->hide();
  inputs->addRow(runEpochsRow_);
  keptLoad_ = new QFutureWatcher<KeptLoad>(this);
  connect(keptLoad_, &QFutureWatcher<KeptLoad>::finished, this, [this] {
    const KeptLoad loaded = keptLoad_->result();
    if (loaded.evaluation) {
      showEvaluation(loaded.evaluation);
    } else {
      summary_->setText(tr("The kept evaluation cannot be shown: %1").arg(loaded.error));
      Q_EMIT statusMessage(summary_->text());
    }
  });

  summary_ = new QLabel(tr("Choose a model and the data to evaluate it on."));
  summary_->setObjectName(QStringLiteral("evaluationSummary"));
  summary_->setWordWrap(true);
  summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  perClass_ = new QTableWidget(0, 7);
  perClass_->setObjectName(QStringLiteral("perClassTable"));
  perClass_->setHorizontalHeaderLabels({tr("class"), tr("objects"), tr("detections"), tr("AP@0.5"),
                                        tr("AP@.5:.95"), tr("precision"), tr("recall")});
  perClass_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  perClass_->setSelectionBehavior(QAbstractItemView::SelectRows);
  perClass_->verticalHeader()->setVisible(false);
  perClass_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  perClass_->setSortingEnabled(true);
  perClass_->setToolTip(tr("Precision and recall at score 0.05, as yolo-cli eval reports them"));

  errorScore_ = new QDoubleSpinBox;
  errorScore_->setObjectName(QStringLiteral("errorsScore"));
  // The evaluation keeps detections from 0.05 (as yolo-cli eval): lower would judge nothing more.
  errorScore_->setRange(0.05, 1.0);
  errorScore_->setSingleStep(0.05);
  errorScore_->setValue(0.3);
  errorScore_->setToolTip(tr("Detections from this score are judged (the Detect view's 0.3)"));
  errorIou_ = new QDoubleSpinBox;
  errorIou_->setObjectName(QStringLiteral("errorsIou"));
  errorIou_->setRange(0.1, 0.95);
  errorIou_->setSingleStep(0.05);
  errorIou_->setValue(0.5);
  errorIou_->setToolTip(tr("IoU a detection needs to find an object"));
  connect(errorScore_, &QDoubleSpinBox::valueChanged, this, &EvaluationView::judge);
  connect(errorIou_, &QDoubleSpinBox::valueChanged, this, &EvaluationView::judge);
  auto* thresholds = new QHBoxLayout;
  thresholds->addWidget(new QLabel(tr("Errors at score ≥")));
  thresholds->addWidget(errorScore_);
  thresholds->addWidget(new QLabel(tr("IoU ≥")));
  thresholds->addWidget(errorIou_);
  thresholds->addStretch(1);
  errorCounts_ = new QLabel;
  errorCounts_->setObjectName(QStringLiteral("errorCounts"));
  errorCounts_->setWordWrap(true);
  confusion_ = new ConfusionTable;
  connect(confusion_, &ConfusionTable::cellChosen, this, &EvaluationView::listCases);
  cases_ = new QListWidget;
  cases_->setObjectName(QStringLiteral("confusionCases"));
  cases_->setToolTip(tr("Double-click a case to look at its image in the Detect view"));
  connect(cases_, &QListWidget::itemDoubleClicked, this, [this](QListWidgetItem* item) {
    const QString image = item->data(Qt::UserRole).toString();
    if (evaluation_ && !image.isEmpty()) Q_EMIT openInDetectView(image, evaluation_->model);
  });

  auto* errorsPane = new QWidget;
  auto* errorsLayout = new QVBoxLayout(errorsPane);
  errorsLayout->setContentsMargins(0, 0, 0, 0);
  errorsLayout->addLayout(thresholds);
  errorsLayout->addWidget(errorCounts_);
  auto* errorsSplit = new QSplitter(Qt::Vertical);
  errorsSplit->addWidget(confusion_);
  errorsSplit->addWidget(cases_);
  errorsSplit->setStretchFactor(0, 3);
  errorsSplit->setStretchFactor(1, 1);
  browser_ = new ErrorBrowser;
  connect(browser_, &ErrorBrowser::imageOpened, this, [this](const QString& image) {
    if (evaluation_) Q_EMIT openInDetectView(image, evaluation_->model);
  });
  auto* errorViews = new QTabWidget;
  errorViews->setObjectName(QStringLiteral("errorViews"));
  errorViews->addTab(errorsSplit, tr("Confusion matrix"));
  errorViews->addTab(browser_, tr("Error browser"));
  errorsLayout->addWidget(errorViews, 1);

  prCurves_ = new PrCurvesPlot;
  connect(perClass_, &QTableWidget::itemSelectionChanged, this, [this] {
    const QList<QTableWidgetItem*> chosen = perClass_->selectedItems();
    const QTableWidgetItem* name =
        chosen.isEmpty() ? nullptr : perClass_->item(chosen[0]->row(), 0);
    prCurves_->highlight(name ? name->data(Qt::UserRole).toInt() : -1);
  });
  auto* classPane = new QSplitter(Qt::Vertical);
  classPane->addWidget(perClass_);
  classPane->addWidget(prCurves_);

  auto* results = new QSplitter(Qt::Horizontal);
  results->addWidget(classPane);
  results->addWidget(errorsPane);
  results->setStretchFactor(0, 2);
  results->setStretchFactor(1, 3);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(inputs);
  layout->addWidget(summary_);
  layout->addWidget(results, 1);

  connect(job_, &EvaluationJob::progress, this, [this](int done, int total) {
    progress_->setMaximum(total);
    progress_->setValue(done);
  });
  connect(job_, &EvaluationJob::finished, this, &EvaluationView::showEvaluation);
  connect(job_, &EvaluationJob::failed, this, [this](const QString& message) {
    setRunning(false);
    summary_->setText(tr("Evaluation failed: %1").arg(message));
    Q_EMIT statusMessage(tr("Evaluation failed: %1").arg(message));
  });
  connect(job_, &EvaluationJob::cancelled, this, [this] {
    setRunning(false);
    Q_EMIT statusMessage(tr("Evaluation cancelled"));
  });
}

void EvaluationView::setModel(const QString& path) {
  model_->setText(QDir::toNativeSeparators(path));
}
void EvaluationView::setData(const QString& path) {
  data_->setText(QDir::toNativeSeparators(path));
}
QString EvaluationView::model() const {
  return QDir::fromNativeSeparators(model_->text().trimmed());
}
QString EvaluationView::data() const { return QDir::fromNativeSeparators(data_->text().trimmed()); }

void EvaluationView::offerModel(const QString& path) {
  if (model().isEmpty() && !path.isEmpty()) setModel(path);
}

void EvaluationView::offerData(const QString& path) {
  if (data().isEmpty() && !path.isEmpty()) setData(path);
}

void EvaluationView::restoreSettings(const QSettings& settings) {
  setModel(settings.value(QStringLiteral("evaluate/model")).toString());
  setData(settings.value(QStringLiteral("evaluate/data")).toString());
  setErrorThresholds(settings.value(QStringLiteral("evaluate/errorsScore"), 0.3).toDouble(),
                     settings.value(QStringLiteral("evaluate/errorsIou"), 0.5).toDouble());
}

void EvaluationView::saveSettings(QSettings& settings) const {
  settings.setValue(QStringLiteral("evaluate/model"), model());
  settings.setValue(QStringLiteral("evaluate/data"), data());
  settings.setValue(QStringLiteral("evaluate/errorsScore"), errorScore_->value());
  settings.setValue(QStringLiteral("evaluate/errorsIou"), errorIou_->value());
}

void EvaluationView::evaluate() {
  if (job_->isRunning()) {
    job_->cancel();
    return;
  }
  if (model().isEmpty() || data().isEmpty()) {
    summary_->setText(tr("Choose a model and the data to evaluate it on."));
    return;
  }
  progress_->setValue(0);
  wantedEpoch_ = -1;  // one's own evaluation: kept evaluations no longer replace it
  keptLoad_->cancel();
  job_->start(model(), data());
  setRunning(true);
  summary_->setText(tr("Evaluating %1 on %2…").arg(QFileInfo(model()).fileName(), data()));
}

void EvaluationView::showRunEvaluation(const QString& runDir, int epoch) {
  if (runDir.isEmpty() || epoch < 1) return;
  wantedEpoch_ = epoch;
  if (runDir != followedRun_) {
    followedRun_ = runDir;
    listRunEpochs(epoch);
  } else if (runEpochs_->findData(epoch) >= 0) {
    runEpochs_->setCurrentIndex(runEpochs_->findData(epoch));
  }
  summary_->setText(tr("Reading the evaluation after epoch %1…").arg(epoch));
  // Captures no `this`: a read the view no longer waits for (a newer choice, the view
  // closed) ends on its own and its result is dropped.
  keptLoad_->setFuture(QtConcurrent::run([runDir, epoch] {
    KeptLoad loaded;
    try {
      eval::SavedEvaluation kept =
          eval::loadEvaluation(eval::savedEvaluationPath(runDir.toStdString(), epoch));
      auto evaluation = std::make_shared<Evaluation>();
      evaluation->report = std::move(kept.report);
      evaluation->classNames = std::move(kept.classNames);
      evaluation->model = runDir;
      evaluation->runDir = runDir;
      evaluation->epoch = kept.epoch;
      evaluation->description =
          QCoreApplication::translate(
              "yolo::ui::EvaluationView",
              "Kept by the trainer after epoch %1 (step %2) of %3, on its test images; a case "
              "opens in the Detect view with the run's best.pt")
              .arg(kept.epoch)
              .arg(kept.step)
              .arg(QDir::toNativeSeparators(runDir));
      loaded.evaluation = std::move(evaluation);
    } catch (const std::exception& e) {
      loaded.error = QString::fromStdString(e.what());
    }
    return loaded;
  }));
}

void EvaluationView::followRun(const QString& runDir) {
  if (runDir.isEmpty()) return;
  const bool sameRun = runDir == followedRun_;
  if (!sameRun) wantedEpoch_ = -1;
  followedRun_ = runDir;
  listRunEpochs(wantedEpoch_);
  if (sameRun && wantedEpoch_ >= 1) return;  // an epoch of this run is shown: it stays
  const bool ownShown = evaluation_ && evaluation_->epoch < 0;
  const int latest = latestRunEpoch();
  if (latest >= 1 && !ownShown && !job_->isRunning()) showRunEvaluation(runDir, latest);
}

void EvaluationView::runEvaluated(const QString& runDir, int epoch) {
  if (runDir != followedRun_) return;
  const int previousLatest = latestRunEpoch();
  // What the view shows or is reading: the latest so far moves on, a choice stays.
  const bool onLatest = wantedEpoch_ == previousLatest || (!evaluation_ && wantedEpoch_ < 0);
  listRunEpochs(wantedEpoch_);
  if (onLatest && !job_->isRunning()) showRunEvaluation(runDir, epoch);
}

void EvaluationView::listRunEpochs(int epoch) {
  const QSignalBlocker block(runEpochs_);
  runEpochs_->clear();
  for (int e : eval::savedEvaluationEpochs(followedRun_.toStdString()))
    runEpochs_->addItem(tr("after epoch %1").arg(e), e);
  const int index = runEpochs_->findData(epoch);
  runEpochs_->setCurrentIndex(index >= 0 ? index : runEpochs_->count() - 1);
  runEpochsRow_->setVisible(runEpochs_->count() > 0);
}

int EvaluationView::latestRunEpoch() const {
  return runEpochs_->count() > 0 ? runEpochs_->itemData(runEpochs_->count() - 1).toInt() : -1;
}

void EvaluationView::setRunning(bool running) {
  evaluateButton_->setText(running ? tr("Cancel") : tr("Evaluate"));
  model_->setEnabled(!running);
  data_->setEnabled(!running);
}

void EvaluationView::setErrorThresholds(double score, double iou) {
  errorScore_->setValue(score);
  errorIou_->setValue(iou);
  judge();
}

QString EvaluationView::className(int classId) const {
  if (evaluation_ && classId >= 0 && classId < static_cast<int>(evaluation_->classNames.size()))
    return QString::fromStdString(evaluation_->classNames[static_cast<size_t>(classId)]);
  return QString::number(classId);
}

void EvaluationView::showEvaluation(std::shared_ptr<const Evaluation> evaluation) {
  setRunning(false);
  evaluation_ = std::move(evaluation);
  const eval::EvaluationReport& r = evaluation_->report;
  const eval::EvaluationResult& e = r.result;
  QString text = tr("mAP@0.5 %1 · mAP@0.5:0.95 %2 · %3 images, %4 objects")
                     .arg(e.map50, 0, 'f', 4)
                     .arg(e.map50_95, 0, 'f', 4)
                     .arg(r.images)
                     .arg(e.groundTruthBoxes);
  if (r.imagesPerSecond > 0) text += tr(" · %1 images/s").arg(r.imagesPerSecond, 0, 'f', 1);
  if (!e.unreadableImages.empty())
    text += tr(" · %1 images could not be read").arg(e.unreadableImages.size());
  if (!r.issues.empty()) text += tr(" · %1 annotation entries skipped").arg(r.issues.size());
  summary_->setText(text + QStringLiteral("\n") + evaluation_->description);
  summary_->setToolTip(evaluation_->model);

  perClass_->setSortingEnabled(false);
  perClass_->setRowCount(0);
  for (const eval::ClassEvaluation& c : e.perClass) {
    if (c.groundTruth == 0 && c.detections == 0) continue;
    const int row = perClass_->rowCount();
    perClass_->insertRow(row);
    perClass_->setItem(row, 0, new ValueItem(QString::fromStdString(c.name), c.classId));
    perClass_->setItem(row, 1, number(c.groundTruth, 0));
    perClass_->setItem(row, 2, number(c.detections, 0));
    perClass_->setItem(row, 3, number(c.ap50, 4));
    perClass_->setItem(row, 4, number(c.ap50_95, 4));
    perClass_->setItem(row, 5, number(c.precision, 4));
    perClass_->setItem(row, 6, number(c.recall, 4));
  }
  perClass_->setSortingEnabled(true);
  perClass_->sortByColumn(0, Qt::AscendingOrder);
  prCurves_->setCurves(e.perClass);
  judge();
  if (evaluation_->epoch >= 1) {
    const int index = runEpochs_->findData(evaluation_->epoch);
    if (index >= 0) runEpochs_->setCurrentIndex(index);
  }
  Q_EMIT statusMessage(evaluation_->epoch >= 1 ? tr("%1 after epoch %2: mAP@0.5 %3")
                                                     .arg(QFileInfo(evaluation_->runDir).fileName())
                                                     .arg(evaluation_->epoch)
                                                     .arg(e.map50, 0, 'f', 4)
                                               : tr("Evaluated %1: mAP@0.5 %2")
                                                     .arg(QFileInfo(evaluation_->model).fileName())
                                                     .arg(e.map50, 0, 'f', 4));
}

void EvaluationView::judge() {
  cases_->clear();
  if (!evaluation_) return;
  const eval::EvaluationReport& r = evaluation_->report;
  eval::ErrorAnalysisOptions options;
  options.scoreThreshold = static_cast<float>(errorScore_->value());
  options.iouThreshold = errorIou_->value();
  errors_ = eval::analyseErrors(r.groundTruth, r.detections,
                                static_cast<int>(evaluation_->classNames.size()), options);
  const eval::ErrorCounts& n = errors_.counts;
  errorCounts_->setText(
      tr("%1 true positives. False positives: %2 wrong class, %3 duplicates, %4 poorly placed, "
         "%5 on background. Objects not found: %6 read as another class, %7 with only a "
         "poorly placed box, %8 missed (of %9).")
          .arg(n.truePositives)
          .arg(n.wrongClass)
          .arg(n.duplicates)
          .arg(n.poorLocalisation)
          .arg(n.background)
          .arg(n.foundAsOtherClass)
          .arg(n.poorlyLocated)
          .arg(n.missed)
          .arg(n.objects));
  confusion_->setMatrix(errors_.confusion, evaluation_->classNames);
  browser_->setErrors(evaluation_, errors_);
}

void EvaluationView::listCases(int truth, int predicted) {
  cases_->clear();
  if (!evaluation_) return;
  const eval::EvaluationReport& r = evaluation_->report;
  const int background = errors_.confusion.numClasses;
  for (const eval::ConfusionMatrix::Case& c : errors_.confusion.casesAt(truth, predicted)) {
    const auto image = static_cast<size_t>(c.image);
    QString text = QFileInfo(QString::fromStdString(r.imagePaths[image].string())).fileName();
    if (c.object >= 0) {
      const data::Box& b = r.groundTruth[image][static_cast<size_t>(c.object)];
      text += tr(": %1 at %2").arg(className(b.classId), boxText(b.x1, b.y1, b.x2, b.y2));
    }
    if (c.detection >= 0) {
      const infer::Detection& d = r.detections[image][static_cast<size_t>(c.detection)];
      if (c.object >= 0)
        text += tr(", detected as %1 (%2)").arg(className(d.classId)).arg(d.score, 0, 'f', 2);
      else
        text += tr(": %1 (%2) at %3")
                    .arg(className(d.classId))
                    .arg(d.score, 0, 'f', 2)
                    .arg(boxText(d.x1, d.y1, d.x2, d.y2));
    } else {
      text += tr(", not found");
    }
    auto* item = new QListWidgetItem(text, cases_);
    const QString path = QString::fromStdString(r.imagePaths[image].string());
    item->setToolTip(path);
    item->setData(Qt::UserRole, path);
  }
  if (cases_->count() == 0) {
    const QString truthName = truth == background ? tr("background") : className(truth);
    const QString predictedName = predicted == background ? tr("background") : className(predicted);
    new QListWidgetItem(tr("No cases of %1 → %2").arg(truthName, predictedName), cases_);
  }
}

}  // namespace yolo::ui
