#include "ui/train/run_config_form.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <exception>
#include <optional>
#include <stdexcept>

#include "core/data/anchor_fit.h"
#include "core/data/dataset_source.h"
#include "core/run/mixed_precision.h"
#include "ui/common/collapsible_section.h"
#include "ui/common/compute_devices.h"
#include "ui/common/number_edits.h"

namespace yolo::ui {

namespace {

QString str(const std::string& s) { return QString::fromStdString(s); }

QSpinBox* spin(int lo, int hi, int step = 1) {
  auto* box = new QSpinBox;
  box->setRange(lo, hi);
  box->setSingleStep(step);
  return box;
}

QDoubleSpinBox* dspin(double lo, double hi, double step, int decimals) {
  auto* box = new QDoubleSpinBox;
  box->setRange(lo, hi);
  box->setSingleStep(step);
  box->setDecimals(decimals);
  return box;
}

/// The mAP cadence: "auto" (kEvalEveryEpochsAuto), "never" (0) or "every N epochs".
class EvalEverySpinBox : public QSpinBox {
 public:
  EvalEverySpinBox() { setRange(run::kEvalEveryEpochsAuto, 1000); }

 protected:
  QString textFromValue(int value) const override {
    if (value == run::kEvalEveryEpochsAuto) return tr("auto");
    if (value == 0) return tr("never");
    return value == 1 ? tr("every epoch") : tr("every %1 epochs").arg(value);
  }

  int valueFromText(const QString& text) const override {
    return parse(text).value_or(run::kEvalEveryEpochsAuto);
  }

  QValidator::State validate(QString& text, int&) const override {
    const auto value = parse(text);
    return value && *value >= minimum() && *value <= maximum() ? QValidator::Acceptable
                                                               : QValidator::Intermediate;
  }

 private:
  /// "auto", "never", "every epoch", or any text whose number is N.
  std::optional<int> parse(const QString& text) const {
    const QString t = text.trimmed();
    if (t.compare(tr("auto"), Qt::CaseInsensitive) == 0) return run::kEvalEveryEpochsAuto;
    if (t.compare(tr("never"), Qt::CaseInsensitive) == 0) return 0;
    if (t.compare(tr("every epoch"), Qt::CaseInsensitive) == 0) return 1;
    const QRegularExpressionMatch number = QRegularExpression(QStringLiteral("\\d+")).match(t);
    if (!number.hasMatch()) return std::nullopt;
    return number.captured().toInt();
  }
};

}  // namespace

RunConfigForm::RunConfigForm(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(buildBasic());

  addCollapsibleSection(layout, tr("Advanced"), buildAdvanced())
      ->setObjectName(QStringLiteral("advancedToggle"));

  setConfig(run::preset("cpu-fast"));
  setRunsRoot(QDir::current().absoluteFilePath(QStringLiteral("runs")));
  refreshRunName();

  // Any edit counts as a change (buttons and validation listen to this).
  for (auto* w : findChildren<QLineEdit*>())
    connect(w, &QLineEdit::textChanged, this, &RunConfigForm::changed);
  for (auto* w : findChildren<QAbstractSpinBox*>())
    connect(w, &QAbstractSpinBox::editingFinished, this, &RunConfigForm::changed);
  for (auto* w : findChildren<QComboBox*>())
    connect(w, &QComboBox::currentIndexChanged, this, &RunConfigForm::changed);
  for (auto* w : findChildren<QCheckBox*>())
    connect(w, &QCheckBox::toggled, this, &RunConfigForm::changed);
}

QLineEdit* RunConfigForm::pathEdit(const QString& objectName) {
  auto* edit = new QLineEdit;
  edit->setObjectName(objectName);
  edit->setClearButtonEnabled(true);
  return edit;
}

QWidget* RunConfigForm::withBrowse(QLineEdit* edit, bool folder, const QString& filter) {
  auto* box = new QWidget;
  auto* row = new QHBoxLayout(box);
  row->setContentsMargins(0, 0, 0, 0);
  row->addWidget(edit, 1);
  auto* browse = new QToolButton(box);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Browse"));
  row->addWidget(browse);
  connect(browse, &QToolButton::clicked, this, [this, edit, folder, filter] {
    const QString start = edit->text().isEmpty() ? QDir::currentPath() : edit->text();
    const QString chosen =
        folder ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), start)
               : QFileDialog::getOpenFileName(this, tr("Choose a file"), start, filter);
    if (chosen.isEmpty()) return;
    if (edit == dataFolder_) {
      setDataFolder(chosen);
    } else {
      edit->setText(chosen);
    }
  });
  return box;
}

QWidget* RunConfigForm::buildBasic() {
  auto* box = new QWidget;
  auto* form = new QFormLayout(box);
  form->setContentsMargins(0, 0, 0, 0);

  preset_ = new QComboBox;
  preset_->setObjectName(QStringLiteral("preset"));
  for (const std::string& name : run::presetNames()) preset_->addItem(str(name));
  preset_->addItem(QStringLiteral("custom"));
  preset_->setToolTip(tr("Choosing a preset fills the settings; the data paths stay"));
  connect(preset_, &QComboBox::activated, this,
          [this](int index) { applyPreset(preset_->itemText(index)); });
  form->addRow(tr("&Preset:"), preset_);

  dataFolder_ = pathEdit(QStringLiteral("dataFolder"));
  dataFolder_->setPlaceholderText(
      tr("make-data folder, YOLO (obj.data / data.yaml), VOC or COCO dataset"));
  connect(dataFolder_, &QLineEdit::editingFinished, this, [this] {
    if (!dataFolder_->text().isEmpty()) setDataFolder(dataFolder_->text());
  });
  QWidget* dataRow = withBrowse(dataFolder_, /*folder=*/true);
  // A dataset may also be one file: data.yaml, obj.data, a COCO JSON, an annotation file.
  auto* browse = dataRow->findChild<QToolButton*>();
  browse->setPopupMode(QToolButton::MenuButtonPopup);
  browse->setToolTip(tr("Choose a dataset folder (the arrow: a dataset file)"));
  QAction* chooseFile =
      browse->addAction(tr("A dataset file (data.yaml, obj.data, COCO JSON, "
                           "annotation file)…"));
  connect(chooseFile, &QAction::triggered, this, [this] {
    const QString start = dataFolder_->text().isEmpty() ? QDir::currentPath() : dataFolder_->text();
    const QString chosen = QFileDialog::getOpenFileName(
        this, tr("Choose a dataset file"), start,
        tr("Datasets (*.yaml *.yml *.data *.json *.txt);;All files (*)"));
    if (!chosen.isEmpty()) setDataFolder(chosen);
  });
  form->addRow(tr("&Data:"), dataRow);
  dataMessage_ = new QLabel;
  dataMessage_->setObjectName(QStringLiteral("dataMessage"));
  dataMessage_->setWordWrap(true);
  dataMessage_->setStyleSheet(QStringLiteral("color: #b91c1c"));
  dataMessage_->hide();
  form->addRow(QString(), dataMessage_);

  runsRoot_ = pathEdit(QStringLiteral("runsRoot"));
  form->addRow(tr("R&uns folder:"), withBrowse(runsRoot_, /*folder=*/true));
  runName_ = pathEdit(QStringLiteral("runName"));
  form->addRow(tr("Run &name:"), runName_);

  architecture_ = new QComboBox;
  architecture_->setObjectName(QStringLiteral("architecture"));
  for (const std::string& name : model::architectureNames())
    architecture_->addItem(QString::fromStdString(name));
  form->addRow(tr("&Model:"), architecture_);
  inputSize_ = spin(32, 1024, 32);
  inputSize_->setObjectName(QStringLiteral("inputSize"));
  inputSize_->setSuffix(tr(" px"));
  form->addRow(tr("&Input size:"), inputSize_);
  epochs_ = spin(1, 100000);
  epochs_->setObjectName(QStringLiteral("epochs"));
  form->addRow(tr("&Epochs:"), epochs_);
  batch_ = spin(1, 1024);
  batch_->setObjectName(QStringLiteral("batchSize"));
  form->addRow(tr("&Batch size:"), batch_);
  maxSteps_ = spin(0, 100000000);
  maxSteps_->setObjectName(QStringLiteral("maxSteps"));
  maxSteps_->setSpecialValueText(tr("no cap"));
  form->addRow(tr("Max &steps:"), maxSteps_);
  lrInit_ = scientificEdit(QStringLiteral("lrInit"));
  form->addRow(tr("LR &start:"), lrInit_);
  lrEnd_ = scientificEdit(QStringLiteral("lrEnd"));
  form->addRow(tr("LR e&nd:"), lrEnd_);
  warmup_ = dspin(0, 1000, 0.5, 2);
  warmup_->setObjectName(QStringLiteral("warmupEpochs"));
  warmup_->setSuffix(tr(" epochs"));
  form->addRow(tr("&Warm-up:"), warmup_);
  evalEvery_ = new EvalEverySpinBox;
  evalEvery_->setObjectName(QStringLiteral("evalEvery"));
  evalEvery_->setToolTip(
      tr("mAP@0.5 on the test set. Auto: after every epoch while the test set has at most a "
         "quarter as many images as the training set, less often for bigger test sets. "
         "Always after the last epoch."));
  form->addRow(tr("mAP e&valuation:"), evalEvery_);
  device_ = new QComboBox;
  device_->setObjectName(QStringLiteral("device"));
  device_->setEditable(true);
  device_->addItems(computeDevices());  // cuda:N only where libtorch has CUDA
  form->addRow(tr("De&vice:"), device_);
  precision_ = new QComboBox;
  precision_->setObjectName(QStringLiteral("precision"));
  for (const auto& name : run::precisionNames()) precision_->addItem(str(name));
  precision_->setToolTip(
      tr("Arithmetic of the training steps. bf16: convolutions in bfloat16, weights and loss in "
         "float32; about twice the steps per second where the CPU multiplies bfloat16 in "
         "hardware. Auto on this computer's CPU: %1.")
          .arg(str(run::describePrecision("auto", /*onCpu=*/true))));
  form->addRow(tr("&Precision:"), precision_);
  return box;
}

QWidget* RunConfigForm::buildAdvanced() {
  auto* box = new QWidget;
  auto* form = new QFormLayout(box);
  form->setContentsMargins(12, 0, 0, 0);
  trainAnn_ = pathEdit(QStringLiteral("trainAnnotations"));
  form->addRow(tr("Train annotations:"), withBrowse(trainAnn_, false, tr("Annotations (*.txt)")));
  testAnn_ = pathEdit(QStringLiteral("testAnnotations"));
  form->addRow(tr("Test annotations:"), withBrowse(testAnn_, false, tr("Annotations (*.txt)")));
  classes_ = pathEdit(QStringLiteral("classesFile"));
  form->addRow(tr("Class names:"), withBrowse(classes_, false, tr("Names (*.names *.txt)")));
  init_ = new QComboBox;
  init_->addItems({QStringLiteral("tutorial"), QStringLiteral("kaiming")});
  form->addRow(tr("Initialisation:"), init_);
  // Transfer learning (docs/darknet.md): Darknet weights, output convs skipped if they differ.
  pretrained_ = pathEdit(QStringLiteral("pretrainedWeights"));
  pretrained_->setPlaceholderText(tr("none (Darknet .weights, e.g. COCO)"));
  freezeEpochs_ = spin(0, 1000);
  freezeEpochs_->setObjectName(QStringLiteral("freezeBackboneEpochs"));
  freezeEpochs_->setPrefix(tr("freeze backbone "));
  freezeEpochs_->setSuffix(tr(" epochs"));
  auto* startFrom = withBrowse(pretrained_, false, tr("Darknet weights (*.weights)"));
  static_cast<QHBoxLayout*>(startFrom->layout())->addWidget(freezeEpochs_);
  form->addRow(tr("Start from weights:"), startFrom);
  weightDecay_ = scientificEdit(QStringLiteral("weightDecay"));
  form->addRow(tr("Weight decay:"), weightDecay_);
  anchors_ = new QLineEdit;
  anchors_->setObjectName(QStringLiteral("anchors"));
  anchors_->setPlaceholderText(tr("the model's defaults"));
  anchors_->setToolTip(
      tr("Width,height pairs in input pixels, smallest first, three per output scale, as a "
         "Darknet cfg's anchors= line. Data ▸ Statistics fits them to a dataset."));
  anchorsMessage_ = new QLabel;
  anchorsMessage_->setObjectName(QStringLiteral("anchorsMessage"));
  anchorsMessage_->setWordWrap(true);
  anchorsMessage_->hide();
  connect(anchors_, &QLineEdit::textChanged, this, [this] {
    const QString problem = anchorsProblem();
    anchorsMessage_->setText(problem);
    anchorsMessage_->setVisible(!problem.isEmpty());
  });
  // Another model has another number of scales: its own defaults, until fitted again.
  connect(architecture_, &QComboBox::currentTextChanged, this, [this] { anchors_->clear(); });
  form->addRow(tr("Anchors:"), anchors_);
  form->addRow(QString(), anchorsMessage_);
  anchorIou_ = dspin(0, 1, 0.05, 2);
  form->addRow(tr("Anchor IoU threshold:"), anchorIou_);
  ignoreIou_ = dspin(0, 1, 0.05, 2);
  form->addRow(tr("Ignore IoU threshold:"), ignoreIou_);
  ignoreAll_ = new QCheckBox(tr("Compare with the boxes of all scales"));
  form->addRow(QString(), ignoreAll_);
  maxBoxes_ = spin(1, 10000);
  form->addRow(tr("Max boxes per scale:"), maxBoxes_);
  crop_ = new QCheckBox(tr("Random crop"));
  translate_ = new QCheckBox(tr("Random translate"));
  flip_ = new QCheckBox(tr("Horizontal flip"));
  auto* aug = new QWidget;
  auto* augRow = new QHBoxLayout(aug);
  augRow->setContentsMargins(0, 0, 0, 0);
  augRow->addWidget(crop_);
  augRow->addWidget(translate_);
  augRow->addWidget(flip_);
  form->addRow(tr("Augmentation:"), aug);
  zoom_ = new QCheckBox(tr("Zoom in"));
  zoom_->setToolTip(tr("Digits up to 2.5 times larger than the data's largest"));
  stroke_ = new QCheckBox(tr("Stroke width"));
  stroke_->setToolTip(tr("Thicker and thinner strokes, like a pen or a marker"));
  photometric_ = new QCheckBox(tr("Paper, ink, blur, noise"));
  auto* robust = new QWidget;
  auto* robustRow = new QHBoxLayout(robust);
  robustRow->setContentsMargins(0, 0, 0, 0);
  robustRow->addWidget(zoom_);
  robustRow->addWidget(stroke_);
  robustRow->addWidget(photometric_);
  form->addRow(tr("Robustness:"), robust);
  ckptEpochs_ = spin(1, 10000);
  ckptEpochs_->setPrefix(tr("every "));
  ckptEpochs_->setSuffix(tr(" epochs"));
  form->addRow(tr("Checkpoint:"), ckptEpochs_);
  ckptSteps_ = spin(0, 10000000);
  ckptSteps_->setSpecialValueText(tr("off"));
  ckptSteps_->setPrefix(tr("also every "));
  ckptSteps_->setSuffix(tr(" steps"));
  form->addRow(QString(), ckptSteps_);
  bestBy_ = new QComboBox;
  bestBy_->addItems({QStringLiteral("val_loss"), QStringLiteral("map50")});
  form->addRow(tr("Best checkpoint by:"), bestBy_);
  threads_ = spin(0, 1024);
  threads_->setSpecialValueText(tr("all cores"));
  form->addRow(tr("Threads:"), threads_);
  workers_ = spin(0, 64);
  form->addRow(tr("Data workers:"), workers_);
  seed_ = new QLineEdit;
  seed_->setValidator(
      new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,19}")), seed_));
  form->addRow(tr("Seed:"), seed_);
  maxBad_ = spin(1, 1000);
  maxBad_->setToolTip(tr("Non-finite steps in a row before rolling back and pausing"));
  form->addRow(tr("Bad steps before rollback:"), maxBad_);
  return box;
}

run::RunConfig RunConfigForm::config() const {
  run::RunConfig c = base_;
  c.preset = preset_->currentText().toStdString();
  c.model.architecture = architecture_->currentText().toStdString();
  c.model.anchors = model::defaultAnchors(c.model.architecture);
  if (anchorsProblem().isEmpty() && !anchors_->text().trimmed().isEmpty())
    c.model.anchors = data::parseAnchors(anchors_->text().toStdString(), scaleCount());
  c.model.inputSize = inputSize_->value();
  c.model.init = init_->currentText().toStdString();
  c.pretrainedWeights = pretrained_->text().toStdString();
  c.freezeBackboneEpochs = freezeEpochs_->value();
  c.trainAnnotations = trainAnn_->text().toStdString();
  c.testAnnotations = testAnn_->text().toStdString();
  c.classesFile = classes_->text().toStdString();
  c.epochs = epochs_->value();
  c.batchSize = batch_->value();
  c.maxSteps = maxSteps_->value();
  c.lrInit = QLocale::c().toDouble(lrInit_->text());
  c.lrEnd = QLocale::c().toDouble(lrEnd_->text());
  c.warmupEpochs = warmup_->value();
  c.weightDecay = QLocale::c().toDouble(weightDecay_->text());
  c.evalEveryEpochs = evalEvery_->value();
  c.device = device_->currentText().trimmed().toStdString();
  c.precision = precision_->currentText().toStdString();
  c.anchorIouThreshold = anchorIou_->value();
  c.ignoreIouThreshold = ignoreIou_->value();
  c.ignoreWithAllBoxes = ignoreAll_->isChecked();
  c.maxBoxesPerScale = maxBoxes_->value();
  c.augment.randomCrop = crop_->isChecked();
  c.augment.randomTranslate = translate_->isChecked();
  c.augment.horizontalFlip = flip_->isChecked();
  c.augment.randomZoom = zoom_->isChecked();
  c.augment.strokeWidth = stroke_->isChecked();
  c.augment.photometric = photometric_->isChecked();
  c.checkpoints.everyEpochs = ckptEpochs_->value();
  c.checkpoints.everySteps = ckptSteps_->value();
  c.checkpoints.bestBy = bestBy_->currentText().toStdString();
  c.threads = threads_->value();
  c.dataWorkers = workers_->value();
  c.seed = seed_->text().toULongLong();
  c.maxBadStepsInRow = maxBad_->value();
  return c;
}

void RunConfigForm::setConfig(const run::RunConfig& c) {
  base_ = c;
  const int presetIndex = preset_->findText(str(c.preset));
  preset_->setCurrentIndex(presetIndex >= 0 ? presetIndex : preset_->count() - 1);
  architecture_->setCurrentText(str(c.model.architecture));
  const bool defaultAnchors =
      c.model.anchors.empty() || c.model.anchors == model::defaultAnchors(c.model.architecture);
  anchors_->setText(defaultAnchors ? QString() : str(data::formatAnchors(c.model.anchors)));
  inputSize_->setValue(c.model.inputSize);
  init_->setCurrentText(str(c.model.init));
  pretrained_->setText(str(c.pretrainedWeights));
  freezeEpochs_->setValue(c.freezeBackboneEpochs);
  trainAnn_->setText(str(c.trainAnnotations));
  testAnn_->setText(str(c.testAnnotations));
  classes_->setText(str(c.classesFile));
  if (!c.dataset.empty()) {
    const QSignalBlocker block(dataFolder_);
    dataFolder_->setText(str(c.dataset));
  }
  epochs_->setValue(c.epochs);
  batch_->setValue(c.batchSize);
  maxSteps_->setValue(static_cast<int>(std::min<int64_t>(c.maxSteps, maxSteps_->maximum())));
  lrInit_->setText(scientificText(c.lrInit));
  lrEnd_->setText(scientificText(c.lrEnd));
  warmup_->setValue(c.warmupEpochs);
  weightDecay_->setText(scientificText(c.weightDecay));
  evalEvery_->setValue(c.evalEveryEpochs);
  device_->setCurrentText(str(c.device));
  precision_->setCurrentText(str(c.precision));
  anchorIou_->setValue(c.anchorIouThreshold);
  ignoreIou_->setValue(c.ignoreIouThreshold);
  ignoreAll_->setChecked(c.ignoreWithAllBoxes);
  maxBoxes_->setValue(c.maxBoxesPerScale);
  crop_->setChecked(c.augment.randomCrop);
  translate_->setChecked(c.augment.randomTranslate);
  flip_->setChecked(c.augment.horizontalFlip);
  zoom_->setChecked(c.augment.randomZoom);
  stroke_->setChecked(c.augment.strokeWidth);
  photometric_->setChecked(c.augment.photometric);
  ckptEpochs_->setValue(c.checkpoints.everyEpochs);
  ckptSteps_->setValue(c.checkpoints.everySteps);
  bestBy_->setCurrentText(str(c.checkpoints.bestBy));
  threads_->setValue(c.threads);
  workers_->setValue(c.dataWorkers);
  seed_->setText(QString::number(c.seed));
  maxBad_->setValue(c.maxBadStepsInRow);
  Q_EMIT changed();
}

void RunConfigForm::useAnchors(const QString& architecture, const QString& anchors) {
  architecture_->setCurrentText(architecture);
  anchors_->setText(anchors);
  Q_EMIT changed();
}

QString RunConfigForm::anchorsText() const { return anchors_->text(); }

int RunConfigForm::scaleCount() const {
  return static_cast<int>(model::strides(architecture_->currentText().toStdString()).size());
}

QString RunConfigForm::anchorsProblem() const {
  if (anchors_->text().trimmed().isEmpty()) return {};
  try {
    data::parseAnchors(anchors_->text().toStdString(), scaleCount());
    return {};
  } catch (const std::invalid_argument& e) {
    return tr("%1; the run uses the model's defaults").arg(QString::fromStdString(e.what()));
  }
}

void RunConfigForm::applyPreset(const QString& name) {
  if (name == QLatin1String("custom")) return;
  run::RunConfig next;
  try {
    next = run::preset(name.toStdString());
  } catch (const std::exception&) {
    return;
  }
  const run::RunConfig current = config();
  next.trainAnnotations = current.trainAnnotations;
  next.testAnnotations = current.testAnnotations;
  next.classesFile = current.classesFile;
  next.dataset = current.dataset;
  next.validationShare = current.validationShare;
  next.pretrainedWeights = current.pretrainedWeights;
  next.freezeBackboneEpochs = current.freezeBackboneEpochs;
  setConfig(next);
}

bool RunConfigForm::setDataFolder(const QString& folder) {
  {
    const QSignalBlocker block(dataFolder_);
    dataFolder_->setText(folder);
  }
  auto refuse = [this](const std::string& why) {
    base_.dataset.clear();  // the field shows what is refused; nothing stale trains instead
    dataMessage_->setStyleSheet(QStringLiteral("color: #b91c1c"));
    dataMessage_->setText(str(why));
    dataMessage_->show();
    return false;
  };
  std::string format;
  try {
    format = data::detectDatasetFormat(folder.toStdString());
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
  // A make-data folder fills the three annotation fields (Advanced), as the runs before
  // took it; any other dataset (a Darknet or CVAT export holds train.txt and obj.names too)
  // is read, its format detected, when the run starts.
  run::RunConfig c = config();
  if (format == "tutorial" && QFileInfo(folder).isDir()) {
    try {
      run::useDataFolder(c, folder.toStdString());
      base_.dataset.clear();
      dataMessage_->hide();
      trainAnn_->setText(str(c.trainAnnotations));
      testAnn_->setText(str(c.testAnnotations));
      classes_->setText(str(c.classesFile));
      base_.model.numClasses = c.model.numClasses;
      Q_EMIT changed();
      return true;
    } catch (const std::exception&) {
      // e.g. classes.txt instead of mnist.names: taken as a dataset below.
    }
  }
  try {
    run::useDataset(base_, folder.toStdString());
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
  trainAnn_->clear();
  testAnn_->clear();
  classes_->clear();
  dataMessage_->setStyleSheet(QString());
  dataMessage_->setText(
      tr("A %1 dataset: its splits and classes are read when the run starts.").arg(str(format)));
  dataMessage_->show();
  Q_EMIT changed();
  return true;
}

QString RunConfigForm::dataFolder() const { return dataFolder_->text(); }

QString RunConfigForm::runsRoot() const { return runsRoot_->text(); }

void RunConfigForm::setRunsRoot(const QString& folder) { runsRoot_->setText(folder); }

QString RunConfigForm::runName() const { return runName_->text().trimmed(); }

void RunConfigForm::refreshRunName() {
  runName_->setText(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")));
}

}  // namespace yolo::ui
