#include "ui/data/data_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/common/box_image_view.h"
#include "ui/common/collapsible_section.h"
#include "ui/data/dataset_filter.h"
#include "ui/data/dataset_model.h"
#include "ui/data/dataset_stats_view.h"
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

DataView::DataView(QWidget* parent) : QWidget(parent) {
  job_ = new GenerateJob(this);
  fetcher_ = new DigitFetcher(this);
  model_ = new DatasetModel(this);
  filter_ = new DatasetFilter(this);
  filter_->setSourceModel(model_);

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->addWidget(buildGeneratePanel());
  leftLayout->addWidget(buildOpenPanel());
  leftLayout->addStretch(1);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(left);
  scroll->setMinimumWidth(320);

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(scroll);
  split->addWidget(buildBrowser());
  split->addWidget(buildInspector());
  split->setStretchFactor(1, 2);
  split->setStretchFactor(2, 3);
  split->setSizes({330, 420, 520});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(job_, &GenerateJob::progress, this, [this](int done, int total) {
    progress_->setRange(0, total);
    progress_->setValue(done);
  });
  connect(job_, &GenerateJob::finished, this,
          [this](const QString& folder, const QString& summary) {
            setGenerating(false);
            generateMessage_->setText(tr("Done: %1").arg(summary));
            Q_EMIT statusMessage(tr("Generated %1").arg(summary));
            Q_EMIT generationFinished(folder);
            Q_EMIT datasetFolderReady(folder);
            openDataset(folder);
          });
  connect(job_, &GenerateJob::failed, this, [this](const QString& message) {
    setGenerating(false);
    generateMessage_->setText(tr("Failed: %1").arg(message));
    Q_EMIT statusMessage(tr("Generation failed"));
    Q_EMIT generationFailed(message);
  });
  connect(job_, &GenerateJob::cancelled, this, [this] {
    setGenerating(false);
    generateMessage_->setText(tr("Cancelled; the annotation files were left as they were."));
    Q_EMIT statusMessage(tr("Generation cancelled"));
    Q_EMIT generationCancelled();
  });
  connect(fetcher_, &DigitFetcher::output, this,
          [this](const QString& line) { generateMessage_->setText(line); });
  connect(fetcher_, &DigitFetcher::finished, this, &DataView::startGeneration);
  connect(fetcher_, &DigitFetcher::failed, this, [this](const QString& message) {
    setGenerating(false);
    generateMessage_->setText(message);
    Q_EMIT generationFailed(message);
  });
  connect(&loader_, &QFutureWatcher<LoadedDataset>::finished, this, &DataView::onLoaded);
  setGeneratorConfig(data::GeneratorConfig{});
}

DataView::~DataView() {
  fetcher_->cancel();
  loader_.waitForFinished();
}

QWidget* DataView::buildGeneratePanel() {
  auto* group = new QGroupBox(tr("Generate MNIST data"));
  auto* layout = new QVBoxLayout(group);
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
  connect(generate_, &QPushButton::clicked, this, &DataView::generate);
  connect(cancel_, &QPushButton::clicked, this, &DataView::cancelWork);
  buttons->addWidget(generate_);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("generateProgress"));
  progress_->setValue(0);
  layout->addWidget(progress_);
  generateMessage_ = new QLabel;
  generateMessage_->setObjectName(QStringLiteral("generateMessage"));
  generateMessage_->setWordWrap(true);
  generateMessage_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(generateMessage_);
  return group;
}

QWidget* DataView::buildOpenPanel() {
  auto* group = new QGroupBox(tr("Open a dataset"));
  auto* layout = new QVBoxLayout(group);
  auto addButton = [&](const QString& text, const QString& tip, bool folder,
                       const QString& filter) {
    auto* b = new QPushButton(text);
    b->setToolTip(tip);
    connect(b, &QPushButton::clicked, this, [this, folder, filter, text] {
      const QString path = folder ? QFileDialog::getExistingDirectory(this, text)
                                  : QFileDialog::getOpenFileName(this, text, QString(), filter);
      if (!path.isEmpty()) openDataset(path);
    });
    layout->addWidget(b);
  };
  addButton(tr("Generated data folder…"), tr("A folder with train.txt, test.txt and mnist.names"),
            true, {});
  addButton(tr("Annotation file…"), tr("One image a line: path x1,y1,x2,y2,class …"), false,
            tr("Annotation files (*.txt);;All files (*)"));
  addButton(tr("YOLO txt folder…"), tr("Images with one class-cx-cy-w-h .txt each, and obj.names"),
            true, {});
  addButton(tr("VOC folder…"), tr("Annotations/*.xml beside JPEGImages/"), true, {});
  datasetInfo_ = new QLabel(tr("No dataset open"));
  datasetInfo_->setObjectName(QStringLiteral("datasetInfo"));
  datasetInfo_->setWordWrap(true);
  layout->addWidget(datasetInfo_);
  return group;
}

QWidget* DataView::buildBrowser() {
  auto* box = new QWidget;
  auto* layout = new QVBoxLayout(box);
  auto* row = new QHBoxLayout;
  classFilter_ = new QComboBox;
  classFilter_->setObjectName(QStringLiteral("classFilter"));
  classFilter_->addItem(tr("All classes"), -1);
  connect(classFilter_, &QComboBox::currentIndexChanged, this,
          [this] { setClassFilter(classFilter_->currentData().toInt()); });
  splitFilter_ = new QComboBox;
  splitFilter_->addItem(tr("Train + test"), QString());
  splitFilter_->addItem(tr("Train"), QStringLiteral("train"));
  splitFilter_->addItem(tr("Test"), QStringLiteral("test"));
  connect(splitFilter_, &QComboBox::currentIndexChanged, this, [this] {
    filter_->setSplitFilter(splitFilter_->currentData().toString());
    updateCounts();
  });
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("search"));
  search_->setPlaceholderText(tr("Search file names"));
  search_->setClearButtonEnabled(true);
  connect(search_, &QLineEdit::textChanged, this, &DataView::setNameFilter);
  row->addWidget(classFilter_);
  row->addWidget(splitFilter_);
  row->addWidget(search_, 1);
  layout->addLayout(row);

  browser_ = new QListView;
  browser_->setObjectName(QStringLiteral("browser"));
  browser_->setModel(filter_);
  browser_->setViewMode(QListView::IconMode);
  browser_->setResizeMode(QListView::Adjust);
  browser_->setMovement(QListView::Static);
  browser_->setUniformItemSizes(true);  // layout without asking every row: fast on thousands
  browser_->setIconSize(QSize(model_->thumbnailSize(), model_->thumbnailSize()));
  browser_->setGridSize(QSize(model_->thumbnailSize() + 16, model_->thumbnailSize() + 24));
  browser_->setSpacing(2);
  browser_->setLayoutMode(QListView::Batched);
  browser_->setSelectionMode(QAbstractItemView::SingleSelection);
  browser_->setWordWrap(false);
  browser_->setTextElideMode(Qt::ElideMiddle);
  connect(browser_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) showSample(filter_->mapToSource(current).row());
          });
  layout->addWidget(browser_, 1);
  shownCount_ = new QLabel;
  shownCount_->setObjectName(QStringLiteral("shownCount"));
  layout->addWidget(shownCount_);
  counts_ = new QLabel;
  counts_->setObjectName(QStringLiteral("classCounts"));
  counts_->setWordWrap(true);
  layout->addWidget(counts_);
  return box;
}

QWidget* DataView::buildInspector() {
  auto* tabs = new QTabWidget;
  auto* imagePage = new QWidget;
  auto* imageLayout = new QVBoxLayout(imagePage);
  viewer_ = new BoxImageView;
  viewer_->setObjectName(QStringLiteral("annotationViewer"));
  viewer_->setPlaceholder(tr("Select an image in the browser"));
  imageLayout->addWidget(viewer_, 1);
  hovered_ = new QLabel(tr("Hover a box to see it; wheel zooms, drag pans, double-click fits."));
  hovered_->setObjectName(QStringLiteral("hoveredBox"));
  imageLayout->addWidget(hovered_);
  line_ = new QLineEdit;
  line_->setObjectName(QStringLiteral("annotationLine"));
  line_->setReadOnly(true);
  line_->setPlaceholderText(tr("annotation line"));
  imageLayout->addWidget(line_);
  connect(viewer_, &BoxImageView::boxHovered, this, [this](int index) {
    if (index < 0 || index >= viewer_->boxes().size()) {
      hovered_->setText(tr("Hover a box to see it; wheel zooms, drag pans, double-click fits."));
      return;
    }
    hovered_->setText(viewer_->boxes()[index].tip);
  });
  tabs->addTab(imagePage, tr("Image"));
  stats_ = new DatasetStatsView;
  tabs->addTab(stats_, tr("Statistics"));
  issues_ = new QPlainTextEdit;
  issues_->setObjectName(QStringLiteral("issues"));
  issues_->setReadOnly(true);
  issues_->setPlaceholderText(tr("Problems found while reading the dataset appear here"));
  tabs->addTab(issues_, tr("Problems"));
  return tabs;
}

data::GeneratorConfig DataView::generatorConfig() const {
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

void DataView::setGeneratorConfig(const data::GeneratorConfig& c) {
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

QString DataView::outputFolder() const { return output_->text().trimmed(); }

void DataView::setOutputFolder(const QString& folder) { output_->setText(folder); }

bool DataView::isBusy() const { return job_->isRunning() || fetcher_->isRunning(); }

bool DataView::isOpening() const { return loader_.isRunning(); }

bool DataView::generate() {
  if (isBusy()) return false;
  const data::GeneratorConfig config = generatorConfig();
  try {
    data::validate(config);
  } catch (const std::exception& e) {
    generateMessage_->setText(tr("Cannot generate: %1").arg(QString::fromStdString(e.what())));
    return false;
  }
  if (outputFolder().isEmpty()) {
    generateMessage_->setText(tr("Choose an output folder."));
    return false;
  }
  setGenerating(true);
  const QString digits = DigitFetcher::findDigits();
  if (!digits.isEmpty()) {
    startGeneration(digits);
    return true;
  }
  generateMessage_->setText(tr("Fetching the MNIST digits (first use)…"));
  progress_->setRange(0, 0);  // busy indicator while the script runs
  fetcher_->start();
  return true;
}

void DataView::startGeneration(const QString& digits) {
  progress_->setRange(0, std::max(1, trainCount_->value() + testCount_->value()));
  progress_->setValue(0);
  generateMessage_->setText(
      tr("Generating into %1…").arg(QDir::toNativeSeparators(outputFolder())));
  Q_EMIT statusMessage(tr("Generating data…"));
  if (!job_->start(generatorConfig(), digits, outputFolder())) setGenerating(false);
}

void DataView::setGenerating(bool on) {
  generate_->setEnabled(!on);
  cancel_->setEnabled(on);
  if (!on && progress_->maximum() == 0) progress_->setRange(0, 1);
  Q_EMIT busyChanged(on);
}

void DataView::cancelWork() {
  if (job_->isRunning()) job_->cancel();
  if (fetcher_->isRunning()) {
    fetcher_->cancel();
    setGenerating(false);
  }
}

void DataView::chooseDataset() {
  QMenu menu(this);
  QAction* folder = menu.addAction(tr("Generated data / YOLO txt / VOC folder…"));
  QAction* file = menu.addAction(tr("Annotation file…"));
  QAction* chosen = menu.exec(QCursor::pos());
  QString path;
  if (chosen == folder) {
    path = QFileDialog::getExistingDirectory(this, tr("Open a dataset folder"));
  } else if (chosen == file) {
    path = QFileDialog::getOpenFileName(this, tr("Open an annotation file"), QString(),
                                        tr("Annotation files (*.txt);;All files (*)"));
  }
  if (!path.isEmpty()) openDataset(path);
}

void DataView::openDataset(const QString& path) {
  if (loader_.isRunning()) loader_.waitForFinished();
  datasetInfo_->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
  loader_.setFuture(QtConcurrent::run(&loadDataset, path));
}

void DataView::onLoaded() {
  LoadedDataset loaded = loader_.result();
  if (!loaded.error.isEmpty() && loaded.samples.empty()) {
    datasetInfo_->setText(tr("Could not open: %1").arg(loaded.error));
    issues_->setPlainText(loaded.issues.join(QLatin1Char('\n')));
    Q_EMIT loadFailed(loaded.error);
    return;
  }
  auto dataset = std::make_shared<const LoadedDataset>(std::move(loaded));
  dataset_ = dataset;
  model_->setDataset(dataset);
  stats_->setDataset(dataset);
  issues_->setPlainText(dataset->issues.join(QLatin1Char('\n')));
  datasetInfo_->setText(tr("%1\n%2 images, %3 classes%4")
                            .arg(QDir::toNativeSeparators(dataset->source))
                            .arg(dataset->size())
                            .arg(dataset->classNames.size())
                            .arg(dataset->issues.isEmpty() ? QString()
                                                           : tr(", %n problem(s) (see Problems)",
                                                                nullptr, dataset->issues.size())));
  {
    const QSignalBlocker block(classFilter_);
    classFilter_->clear();
    classFilter_->addItem(tr("All classes"), -1);
    for (int c = 0; c < dataset->classNames.size(); ++c) {
      classFilter_->addItem(tr("Class %1").arg(dataset->classNames[c]), c);
    }
  }
  filter_->setClassFilter(-1);
  updateCounts();
  viewer_->setImage({});
  line_->clear();
  shownRow_ = -1;
  if (filter_->rowCount() > 0) browser_->setCurrentIndex(filter_->index(0, 0));
  if (QFileInfo(dataset->source).isDir() && dataset->kind == QLatin1String("annotations")) {
    Q_EMIT datasetFolderReady(dataset->source);
  }
  Q_EMIT statusMessage(tr("Opened %n image(s)", nullptr, dataset->size()));
  Q_EMIT datasetLoaded(dataset->size());
}

void DataView::updateCounts() {
  shownCount_->setText(
      dataset_ ? tr("%1 of %2 images shown").arg(filter_->rowCount()).arg(dataset_->size())
               : QString());
  if (!dataset_) {
    counts_->clear();
    return;
  }
  QVector<int> perClass(dataset_->classNames.size(), 0);
  int other = 0;
  for (const data::Sample& s : dataset_->samples) {
    for (const data::Box& b : s.boxes) {
      if (b.classId >= 0 && b.classId < perClass.size()) {
        ++perClass[b.classId];
      } else {
        ++other;
      }
    }
  }
  QStringList parts;
  for (int c = 0; c < perClass.size(); ++c)
    parts << QStringLiteral("%1: %2").arg(dataset_->classNames[c]).arg(perClass[c]);
  if (other > 0) parts << tr("other: %1").arg(other);
  counts_->setText(tr("Boxes per class — %1").arg(parts.join(QStringLiteral(" · "))));
}

QString DataView::countsText() const { return counts_->text(); }

QString DataView::shownLine() const { return line_->text(); }

void DataView::setClassFilter(int classId) {
  filter_->setClassFilter(classId);
  const int index = classFilter_->findData(classId);
  if (index >= 0 && index != classFilter_->currentIndex()) {
    const QSignalBlocker block(classFilter_);
    classFilter_->setCurrentIndex(index);
  }
  updateCounts();
}

void DataView::setNameFilter(const QString& text) {
  filter_->setNameFilter(text);
  if (search_->text() != text) {
    const QSignalBlocker block(search_);
    search_->setText(text);
  }
  updateCounts();
}

void DataView::showSample(int row) {
  if (!dataset_ || row < 0 || row >= dataset_->size()) return;
  shownRow_ = row;
  const data::Sample& sample = dataset_->samples[static_cast<size_t>(row)];
  const QString path = QString::fromStdString(sample.image.string());
  viewer_->setImage(QImage(path));
  LabeledBoxes boxes;
  for (const data::Box& b : sample.boxes) {
    const QString name = dataset_->classNames.value(b.classId, QString::number(b.classId));
    boxes.push_back(LabeledBox{QRectF(QPointF(b.x1, b.y1), QPointF(b.x2, b.y2)), b.classId, name,
                               tr("class %1 · %2,%3,%4,%5 · %6×%7 px")
                                   .arg(name)
                                   .arg(b.x1)
                                   .arg(b.y1)
                                   .arg(b.x2)
                                   .arg(b.y2)
                                   .arg(b.width())
                                   .arg(b.height())});
  }
  viewer_->setBoxes(boxes);
  line_->setText(dataset_->lines.value(row));
  line_->setCursorPosition(0);
}

void DataView::saveSettings(QSettings& s) const {
  s.setValue(QStringLiteral("data/outputFolder"), outputFolder());
  s.setValue(QStringLiteral("data/trainImages"), trainCount_->value());
  s.setValue(QStringLiteral("data/testImages"), testCount_->value());
  s.setValue(QStringLiteral("data/seed"), seed_->text());
  if (dataset_) s.setValue(QStringLiteral("data/lastDataset"), dataset_->source);
}

void DataView::restoreSettings(const QSettings& s) {
  const QString out = s.value(QStringLiteral("data/outputFolder")).toString();
  setOutputFolder(
      out.isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("datasets/generated")) : out);
  trainCount_->setValue(s.value(QStringLiteral("data/trainImages"), trainCount_->value()).toInt());
  testCount_->setValue(s.value(QStringLiteral("data/testImages"), testCount_->value()).toInt());
  seed_->setText(s.value(QStringLiteral("data/seed"), seed_->text()).toString());
  const QString last = s.value(QStringLiteral("data/lastDataset")).toString();
  if (!last.isEmpty() && QFileInfo::exists(last)) openDataset(last);
}

}  // namespace yolo::ui
