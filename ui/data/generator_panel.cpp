#include "ui/data/generator_panel.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSettings>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/common/collapsible_section.h"
#include "ui/data/digit_fetcher.h"
#include "ui/data/generate_job.h"

namespace yolo::ui {

namespace {

QSpinBox* spin(int lo, int hi, const QString& name = {}) {
  auto* box = new QSpinBox;
  box->setRange(lo, hi);
  box->setObjectName(name);
  return box;
}

}  // namespace

GeneratorPanel::GeneratorPanel(QWidget* parent) : QGroupBox(tr("Generate MNIST data"), parent) {
  job_ = new GenerateJob(this);
  fetcher_ = new DigitFetcher(this);
  buildForm();
  connect(job_, &GenerateJob::progress, this, [this](int done, int total) {
    progress_->setRange(0, total);
    progress_->setValue(done);
  });
  connect(job_, &GenerateJob::finished, this,
          [this](const QString& folder, const QString& summary) {
            setGenerating(false);
            message_->setText(tr("Done: %1").arg(summary));
            Q_EMIT statusMessage(tr("Generated %1").arg(summary));
            Q_EMIT generationFinished(folder);
          });
  connect(job_, &GenerateJob::failed, this, [this](const QString& message) {
    setGenerating(false);
    message_->setText(tr("Failed: %1").arg(message));
    Q_EMIT statusMessage(tr("Generation failed"));
    Q_EMIT generationFailed(message);
  });
  connect(job_, &GenerateJob::cancelled, this, [this] {
    setGenerating(false);
    message_->setText(tr("Cancelled; the annotation files were left as they were."));
    Q_EMIT statusMessage(tr("Generation cancelled"));
    Q_EMIT generationCancelled();
  });
  connect(fetcher_, &DigitFetcher::output, this,
          [this](const QString& line) { message_->setText(line); });
  connect(fetcher_, &DigitFetcher::finished, this, &GeneratorPanel::startGeneration);
  connect(fetcher_, &DigitFetcher::failed, this, [this](const QString& message) {
    setGenerating(false);
    message_->setText(message);
    Q_EMIT generationFailed(message);
  });
  setGeneratorConfig(data::GeneratorConfig{});
}

GeneratorPanel::~GeneratorPanel() { fetcher_->cancel(); }

void GeneratorPanel::buildForm() {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  variant_ = new QComboBox;
  variant_->setObjectName(QStringLiteral("variant"));
  for (const std::string& name : data::generatorVariantNames())
    variant_->addItem(QString::fromStdString(name));
  variant_->setToolTip(
      tr("default: black digits on white, 14-112 px\n"
         "harder: grey, noisy, blurred paper, lower contrast, any size, fuller pages\n"
         "drawn: one to three large, thick, slightly turned digits, like mouse drawings"));
  form->addRow(tr("&Look:"), variant_);
  trainCount_ = spin(0, 1000000, QStringLiteral("trainImages"));
  form->addRow(tr("&Training images:"), trainCount_);
  testCount_ = spin(0, 1000000, QStringLiteral("testImages"));
  form->addRow(tr("Test ima&ges:"), testCount_);
  seed_ = new QLineEdit;
  seed_->setObjectName(QStringLiteral("seed"));
  seed_->setValidator(
      new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{1,19}")), seed_));
  form->addRow(tr("S&eed:"), seed_);
  output_ = new QLineEdit;
  output_->setObjectName(QStringLiteral("outputFolder"));
  auto* outRow = new QHBoxLayout;
  outRow->addWidget(output_, 1);
  auto* browse = new QToolButton;
  browse->setText(QStringLiteral("…"));
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Output folder"), output_->text());
    if (!dir.isEmpty()) output_->setText(dir);
  });
  outRow->addWidget(browse);
  form->addRow(tr("Output folder:"), outRow);
  layout->addLayout(form);

  auto* advanced = new QWidget;
  auto* adv = new QFormLayout(advanced);
  adv->setContentsMargins(12, 0, 0, 0);
  canvasW_ = spin(32, 4096);
  canvasH_ = spin(32, 4096);
  auto* canvasRow = new QHBoxLayout;
  canvasRow->addWidget(canvasW_);
  canvasRow->addWidget(new QLabel(QStringLiteral("×")));
  canvasRow->addWidget(canvasH_);
  adv->addRow(tr("Canvas (px):"), canvasRow);
  background_ = spin(0, 255);
  adv->addRow(tr("Background grey:"), background_);
  invert_ = new QCheckBox(tr("Black ink on white"));
  adv->addRow(QString(), invert_);
  overlap_ = new QDoubleSpinBox;
  overlap_->setRange(0, 1);
  overlap_->setDecimals(3);
  overlap_->setSingleStep(0.01);
  adv->addRow(tr("Max overlap:"), overlap_);
  smallMax_ = spin(0, 50);
  mediumMax_ = spin(0, 50);
  bigMax_ = spin(0, 50);
  adv->addRow(tr("Small digits (max):"), smallMax_);
  adv->addRow(tr("Medium digits (max):"), mediumMax_);
  adv->addRow(tr("Big digits (max):"), bigMax_);
  jpeg_ = spin(0, 100);
  adv->addRow(tr("JPEG quality:"), jpeg_);
  addCollapsibleSection(layout, tr("Advanced"), advanced);

  // A look replaces the page settings and keeps what the user typed above it.
  connect(variant_, &QComboBox::currentTextChanged, this, [this](const QString& name) {
    data::GeneratorConfig c = data::generatorVariant(name.toStdString());
    c.trainImages = trainCount_->value();
    c.testImages = testCount_->value();
    c.seed = seed_->text().toULongLong();
    setGeneratorConfig(c);
  });

  auto* buttons = new QHBoxLayout;
  generate_ = new QPushButton(tr("&Generate"));
  generate_->setObjectName(QStringLiteral("generate"));
  cancel_ = new QPushButton(tr("&Cancel"));
  cancel_->setObjectName(QStringLiteral("cancelGenerate"));
  cancel_->setEnabled(false);
  connect(generate_, &QPushButton::clicked, this, &GeneratorPanel::generate);
  connect(cancel_, &QPushButton::clicked, this, &GeneratorPanel::cancel);
  buttons->addWidget(generate_);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("generateProgress"));
  progress_->setValue(0);
  layout->addWidget(progress_);
  message_ = new QLabel;
  message_->setObjectName(QStringLiteral("generateMessage"));
  message_->setWordWrap(true);
  message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(message_);
}

data::GeneratorConfig GeneratorPanel::generatorConfig() const {
  data::GeneratorConfig c = base_;
  c.trainImages = trainCount_->value();
  c.testImages = testCount_->value();
  c.seed = seed_->text().toULongLong();
  c.canvasWidth = canvasW_->value();
  c.canvasHeight = canvasH_->value();
  c.background = background_->value();
  c.invertDigits = invert_->isChecked();
  c.maxOverlap = static_cast<float>(overlap_->value());
  c.small.maxCount = smallMax_->value();
  c.medium.maxCount = mediumMax_->value();
  c.big.maxCount = bigMax_->value();
  c.small.minCount = std::min(c.small.minCount, c.small.maxCount);
  c.medium.minCount = std::min(c.medium.minCount, c.medium.maxCount);
  c.big.minCount = std::min(c.big.minCount, c.big.maxCount);
  c.jpegQuality = jpeg_->value();
  return c;
}

void GeneratorPanel::setGeneratorConfig(const data::GeneratorConfig& c) {
  base_ = c;
  trainCount_->setValue(c.trainImages);
  testCount_->setValue(c.testImages);
  seed_->setText(QString::number(c.seed));
  canvasW_->setValue(c.canvasWidth);
  canvasH_->setValue(c.canvasHeight);
  background_->setValue(c.background);
  invert_->setChecked(c.invertDigits);
  overlap_->setValue(c.maxOverlap);
  smallMax_->setValue(c.small.maxCount);
  mediumMax_->setValue(c.medium.maxCount);
  bigMax_->setValue(c.big.maxCount);
  jpeg_->setValue(c.jpegQuality);
}

QString GeneratorPanel::outputFolder() const { return output_->text().trimmed(); }

void GeneratorPanel::setOutputFolder(const QString& folder) { output_->setText(folder); }

bool GeneratorPanel::isBusy() const { return job_->isRunning() || fetcher_->isRunning(); }

QString GeneratorPanel::message() const { return message_->text(); }

bool GeneratorPanel::generate() {
  if (isBusy()) return false;
  const data::GeneratorConfig config = generatorConfig();
  try {
    data::validate(config);
  } catch (const std::exception& e) {
    message_->setText(tr("Cannot generate: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  if (outputFolder().isEmpty()) {
    message_->setText(tr("Choose an output folder."));
    return false;
  }
  setGenerating(true);
  const QString digits = DigitFetcher::findDigits();
  if (!digits.isEmpty()) {
    startGeneration(digits);
    return true;
  }
  message_->setText(tr("Fetching the MNIST digits (first use)…"));
  progress_->setRange(0, 0);  // busy indicator while the script runs
  fetcher_->start();
  return true;
}

void GeneratorPanel::startGeneration(const QString& digits) {
  progress_->setRange(0, std::max(1, trainCount_->value() + testCount_->value()));
  progress_->setValue(0);
  message_->setText(tr("Generating into %1…").arg(QDir::toNativeSeparators(outputFolder())));
  Q_EMIT statusMessage(tr("Generating data…"));
  if (!job_->start(generatorConfig(), digits, outputFolder())) setGenerating(false);
}

void GeneratorPanel::setGenerating(bool on) {
  generate_->setEnabled(!on);
  cancel_->setEnabled(on);
  if (!on && progress_->maximum() == 0) progress_->setRange(0, 1);
  Q_EMIT busyChanged(on);
}

void GeneratorPanel::cancel() {
  if (job_->isRunning()) job_->cancel();
  if (fetcher_->isRunning()) {
    fetcher_->cancel();
    setGenerating(false);
  }
}

void GeneratorPanel::saveSettings(QSettings& s) const {
  s.setValue(QStringLiteral("data/outputFolder"), outputFolder());
  s.setValue(QStringLiteral("data/trainImages"), trainCount_->value());
  s.setValue(QStringLiteral("data/testImages"), testCount_->value());
  s.setValue(QStringLiteral("data/seed"), seed_->text());
}

void GeneratorPanel::restoreSettings(const QSettings& s) {
  const QString out = s.value(QStringLiteral("data/outputFolder")).toString();
  setOutputFolder(
      out.isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("datasets/generated")) : out);
  trainCount_->setValue(s.value(QStringLiteral("data/trainImages"), trainCount_->value()).toInt());
  testCount_->setValue(s.value(QStringLiteral("data/testImages"), testCount_->value()).toInt());
  seed_->setText(s.value(QStringLiteral("data/seed"), seed_->text()).toString());
}

}  // namespace yolo::ui
