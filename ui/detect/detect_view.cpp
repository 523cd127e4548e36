#include "ui/detect/detect_view.h"

#include <algorithm>
#include <utility>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/common/box_image_view.h"
#include "ui/common/class_colors.h"
#include "ui/common/compute_devices.h"
#include "ui/common/release_in_background.h"
#include "ui/detect/detection_scheduler.h"
#include "ui/detect/image_list.h"
#include "ui/detect/model_picker.h"
#include "ui/detect/sketch_pad.h"

namespace yolo::ui {

DetectView::DetectView(QWidget* parent) : QWidget(parent) {
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("detection"));
  worker_ = new DetectionWorker;
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);
  connect(this, &DetectView::loadRequested, worker_, &DetectionWorker::loadModel);
  connect(this, &DetectView::detectRequested, worker_, &DetectionWorker::detect);
  connect(this, &DetectView::refilterRequested, worker_, &DetectionWorker::refilter);
  connect(this, &DetectView::explainRequested, worker_, &DetectionWorker::explain);
  connect(this, &DetectView::probeRequested, worker_, &DetectionWorker::probe);
  connect(worker_, &DetectionWorker::explained, this,
          [this](int resultId, int index, const ExplanationRecord& record) {
            if (resultId != shownResult_ || index != table_->currentRow()) return;
            explanation_->setText(record.text);
            if (drawing())
              sketch_->setDashedBoxes(record.removed);
            else
              view_->setDashedBoxes(record.removed);
          });
  connect(worker_, &DetectionWorker::probed, this,
          [this](int resultId, const QPointF&, const QString& text) {
            if (resultId != shownResult_ || table_->currentRow() >= 0) return;
            explanation_->setText(text);
          });
  scheduler_ = new DetectionScheduler(this);
  connect(scheduler_, &DetectionScheduler::networkRequested, this, [this](int requestId) {
    Q_EMIT detectRequested(requestId, drawing() ? sketch_->image() : list_->image(current_),
                           settings());
  });
  connect(scheduler_, &DetectionScheduler::refilterRequested, this,
          [this](int requestId) { Q_EMIT refilterRequested(requestId, settings()); });
  connect(
      worker_, &DetectionWorker::modelLoaded, this,
      [this](const QString& checkpoint, const QStringList& names, int inputSize) {
        // A run folder loads its best.pt or last.pt: the list names the file loaded.
        loadedModel_ = checkpoint;
        if (QFileInfo(checkpoint).absolutePath() != QFileInfo(model_->runDir()).absoluteFilePath())
          model_->remember(checkpoint);
        model_->setLoaded(checkpoint);
        modelInfo_->setText(tr("%1 · %2 classes · %3 px")
                                .arg(QFileInfo(checkpoint).fileName())
                                .arg(names.size())
                                .arg(inputSize));
        modelInfo_->setToolTip(QDir::toNativeSeparators(checkpoint));
        Q_EMIT statusMessage(tr("Model loaded: %1").arg(QDir::toNativeSeparators(checkpoint)));
        Q_EMIT modelChanged(checkpoint);
        scheduler_->modelLoaded();
      });
  connect(worker_, &DetectionWorker::modelFailed, this, [this](const QString& message) {
    scheduler_->modelFailed();
    loadedModel_.clear();
    model_->setLoaded(QString());
    modelInfo_->setText(tr("No model: %1").arg(message));
    Q_EMIT statusMessage(tr("Model not loaded: %1").arg(message));
  });
  connect(worker_, &DetectionWorker::detected, this, &DetectView::onDetected);
  connect(worker_, &DetectionWorker::detectFailed, this, [this](int id, const QString& message) {
    Q_EMIT statusMessage(tr("Detection failed: %1").arg(message));
    scheduler_->requestFailed(id);
  });
  thread_->start();

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(buildToolbar());

  view_ = new BoxImageView;
  view_->setObjectName(QStringLiteral("detectImage"));
  view_->setPlaceholder(emptyPlaceholder());
  list_ = new ImageList;
  connect(list_, &QListWidget::currentRowChanged, this, &DetectView::showImage);
  connect(list_, &ImageList::imageReady, this, [this](int index) {
    if (index == current_) showImage(index);
  });
  connect(list_, &ImageList::unreadable, this, [this](const QString& path, const QString& why) {
    const QString message = tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), why);
    if (current_ >= 0 && list_->path(current_) == path) view_->setPlaceholder(message);
    Q_EMIT statusMessage(message);
  });
  auto* imagesPage = new QSplitter(Qt::Horizontal);
  imagesPage->addWidget(list_);
  imagesPage->addWidget(view_);
  imagesPage->setStretchFactor(1, 1);

  sketch_ = new SketchPad;
  sketch_->setObjectName(QStringLiteral("sketchPad"));
  auto* drawPage = new QWidget;
  auto* drawLayout = new QVBoxLayout(drawPage);
  drawLayout->addWidget(sketch_, 1);
  auto* clear = new QPushButton(tr("C&lear drawing"));
  connect(clear, &QPushButton::clicked, sketch_, &SketchPad::clear);
  auto* drawRow = new QHBoxLayout;
  drawRow->addWidget(new QLabel(tr("Draw digits with the mouse; they are detected as you draw.")));
  drawRow->addStretch(1);
  drawRow->addWidget(clear);
  drawLayout->addLayout(drawRow);
  connect(sketch_, &SketchPad::drawn, this, [this] {
    if (drawing()) scheduler_->pictureChanged(currentKey());
  });

  modes_ = new QTabWidget;
  modes_->setObjectName(QStringLiteral("detectModes"));
  modes_->addTab(imagesPage, tr("Images"));
  modes_->addTab(drawPage, tr("Draw"));
  connect(modes_, &QTabWidget::currentChanged, this,
          [this] { scheduler_->pictureChanged(currentKey()); });

  table_ = new QTableWidget(0, 6);
  table_->setObjectName(QStringLiteral("detectionTable"));
  table_->setHorizontalHeaderLabels(
      {tr("Class"), tr("Score"), tr("x1"), tr("y1"), tr("x2"), tr("y2")});
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->setMinimumWidth(300);
  connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) {
    view_->highlight(row);
    explainDetection(row);
  });
  connect(view_, &BoxImageView::boxHovered, this, [this](int index) {
    if (index >= 0) table_->selectRow(index);
  });
  // Where nothing is detected, the point the mouse rests on is asked about.
  probeTimer_ = new QTimer(this);
  probeTimer_->setSingleShot(true);
  probeTimer_->setInterval(150);
  connect(view_, &BoxImageView::pointHovered, this, [this](const QPointF& point) {
    probePoint_ = point;
    probeTimer_->start();
  });
  connect(probeTimer_, &QTimer::timeout, this, [this] {
    if (!scheduler_->settled() || drawing() || !modelReady()) return;
    table_->setCurrentCell(-1, -1);
    view_->setDashedBoxes({});
    Q_EMIT probeRequested(shownResult_, probePoint_, settings());
  });

  explanation_ = new QLabel;
  explanation_->setObjectName(QStringLiteral("explanation"));
  explanation_->setWordWrap(true);
  explanation_->setTextFormat(Qt::RichText);
  explanation_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  explanation_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  explanation_->setMinimumHeight(explanation_->fontMetrics().height() * 6);
  explanation_->setText(
      tr("Select a detection to see why it is there; rest the mouse where "
         "nothing is detected to see why not."));
  auto* side = new QSplitter(Qt::Vertical);
  side->addWidget(table_);
  side->addWidget(explanation_);
  side->setStretchFactor(0, 3);
  side->setStretchFactor(1, 1);

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(modes_);
  split->addWidget(side);
  split->setStretchFactor(0, 1);
  layout->addWidget(split, 1);
}

DetectView::~DetectView() {
  thread_->quit();
  thread_->wait();
}

QWidget* DetectView::buildToolbar() {
  auto* bar = new QWidget;
  auto* rows = new QVBoxLayout(bar);
  rows->setContentsMargins(0, 0, 0, 0);

  auto* top = new QHBoxLayout;
  top->addWidget(new QLabel(tr("&Model:")));
  model_ = new ModelPicker;
  static_cast<QLabel*>(top->itemAt(0)->widget())->setBuddy(model_);
  connect(model_, &ModelPicker::chosen, this, &DetectView::loadModel);
  top->addWidget(model_);
  auto* deviceLabel = new QLabel(tr("&Device:"));
  top->addWidget(deviceLabel);
  device_ = new QComboBox;
  device_->setObjectName(QStringLiteral("device"));
  device_->addItems(computeDevices());
  device_->setToolTip(tr("Where the network runs; auto takes the first GPU when there is one"));
  deviceLabel->setBuddy(device_);
  connect(device_, &QComboBox::currentTextChanged, this, [this] {
    if (!loadedModel_.isEmpty()) loadModel(loadedModel_);
  });
  top->addWidget(device_);
  modelInfo_ = new QLabel(tr("No model loaded"));
  modelInfo_->setObjectName(QStringLiteral("modelInfo"));
  top->addWidget(modelInfo_, 1);
  auto* open = new QPushButton(tr("Open…"));
  open->setToolTip(tr("Open image files (Ctrl+O)"));
  connect(open, &QPushButton::clicked, this, &DetectView::chooseImages);
  auto* paste = new QPushButton(tr("Paste"));
  paste->setToolTip(tr("Detect in the clipboard's image (Ctrl+V)"));
  connect(paste, &QPushButton::clicked, this, [this] {
    if (!pasteFromClipboard()) Q_EMIT statusMessage(tr("The clipboard holds no image"));
  });
  auto* save = new QPushButton(tr("Save annotated…"));
  connect(save, &QPushButton::clicked, this, &DetectView::saveAnnotatedInteractive);
  top->addWidget(open);
  top->addWidget(paste);
  top->addWidget(save);
  rows->addLayout(top);

  auto* sliders = new QHBoxLayout;
  auto addSlider = [&](const QString& text, const QString& name, QSlider*& slider, QLabel*& value) {
    sliders->addWidget(new QLabel(text));
    slider = new QSlider(Qt::Horizontal);
    slider->setObjectName(name);
    slider->setRange(0, 100);
    slider->setMinimumWidth(160);
    sliders->addWidget(slider, 1);
    value = new QLabel;
    value->setMinimumWidth(value->fontMetrics().horizontalAdvance(QStringLiteral("0.000")));
    sliders->addWidget(value);
    connect(slider, &QSlider::valueChanged, this, &DetectView::onSettingsChanged);
  };
  addSlider(tr("Score ≥"), QStringLiteral("scoreThreshold"), score_, scoreLabel_);
  score_->setToolTip(tr("Keep detections scoring at least this (objectness × class probability)"));
  addSlider(tr("NMS IoU"), QStringLiteral("nmsThreshold"), nms_, nmsLabel_);
  nms_->setToolTip(tr("Boxes of one class overlapping more than this are merged"));
  oneLabel_ = new QCheckBox(tr("One &label per object"));
  oneLabel_->setObjectName(QStringLiteral("oneLabelPerObject"));
  oneLabel_->setToolTip(
      tr("Hide a box that lies mostly inside a better box (a stroke of a digit read as "
         "another digit, or a second box nested in the first)"));
  connect(oneLabel_, &QCheckBox::toggled, this, &DetectView::onSettingsChanged);
  sliders->addWidget(oneLabel_);
  rows->addLayout(sliders);
  setSettings(DetectSettings{});
  return bar;
}

DetectSettings DetectView::settings() const {
  DetectSettings s;
  s.scoreThreshold = static_cast<float>(score_->value()) / 100.0f;
  s.iouThreshold = static_cast<float>(nms_->value()) / 100.0f;
  s.oneLabelPerObject = oneLabel_->isChecked();
  return s;
}

void DetectView::setSettings(const DetectSettings& s) {
  score_->setValue(qRound(s.scoreThreshold * 100));
  nms_->setValue(qRound(s.iouThreshold * 100));
  oneLabel_->setChecked(s.oneLabelPerObject);
  onSettingsChanged();
}

void DetectView::onSettingsChanged() {
  const DetectSettings s = settings();
  scoreLabel_->setText(QString::number(s.scoreThreshold, 'f', 2));
  nmsLabel_->setText(QString::number(s.iouThreshold, 'f', 2));
  scheduler_->settingsChanged();
}

QString DetectView::emptyPlaceholder() const {
  return tr("Drop image files anywhere on the window, or use Open… (Ctrl+O) or Paste (Ctrl+V)");
}

bool DetectView::drawing() const { return modes_ && modes_->currentIndex() == 1; }

void DetectView::showDrawingPad() { modes_->setCurrentIndex(1); }

QString DetectView::currentKey() const {
  if (drawing()) return QStringLiteral("sketch");
  return current_ >= 0 ? QStringLiteral("image:%1").arg(current_) : QString();
}

void DetectView::onDetected(int requestId, const DetectionRecords& detections, double ms) {
  if (!scheduler_->resultArrived(requestId)) return;  // overtaken by another picture
  showDetections(detections);
  Q_EMIT statusMessage(
      tr("%n detection(s) in %1 ms", nullptr, detections.size()).arg(ms, 0, 'f', 1));
}

void DetectView::explainDetection(int row) {
  if (row < 0 || row >= shown_.size() || !scheduler_->settled()) {
    view_->setDashedBoxes({});
    sketch_->setDashedBoxes({});
    return;
  }
  Q_EMIT explainRequested(shownResult_, settings(), row);
}

void DetectView::showDetections(const DetectionRecords& detections) {
  shown_ = detections;
  ++shownResult_;
  const LabeledBoxes boxes = toLabeledBoxes(detections);
  if (drawing()) {
    sketch_->setBoxes(boxes);
  } else {
    view_->setBoxes(boxes);
  }
  table_->setRowCount(detections.size());
  for (int row = 0; row < detections.size(); ++row) {
    const DetectionRecord& d = detections[row];
    auto* name =
        new QTableWidgetItem(d.className.isEmpty() ? QString::number(d.classId) : d.className);
    name->setForeground(classColor(d.classId));
    table_->setItem(row, 0, name);
    table_->setItem(row, 1, new QTableWidgetItem(QString::number(d.score, 'f', 3)));
    const double coords[] = {d.box.left(), d.box.top(), d.box.right(), d.box.bottom()};
    for (int c = 0; c < 4; ++c) {
      table_->setItem(row, 2 + c, new QTableWidgetItem(QString::number(coords[c], 'f', 1)));
    }
  }
  Q_EMIT detectionsShown(detections.size());
}

int DetectView::openImages(const QStringList& paths) { return list_->openImages(paths); }

void DetectView::addImage(const QString& name, const QImage& image) {
  list_->addImage(name, image);
}

bool DetectView::pasteFromClipboard() { return list_->pasteFromClipboard(); }

int DetectView::imageCount() const { return list_->imageCount(); }

void DetectView::showImage(int index) {
  if (index < 0 || index >= list_->imageCount()) return;
  if (list_->currentRow() != index) {
    list_->setCurrentRow(index);  // comes back here through currentRowChanged
    return;
  }
  current_ = index;
  {
    const QSignalBlocker block(modes_);  // the picture changes once, below
    modes_->setCurrentIndex(0);
  }
  // Null while the file decodes (imageReady brings it back here) or when it is unreadable
  // (unreadable() names the reason).
  const QImage picture = list_->image(index);
  QImage previous = view_->image();
  view_->setImage(picture, list_->drawable(index));
  releaseInBackground(std::move(previous));
  view_->setPlaceholder(list_->isDecoding(index) ? tr("Opening %1…").arg(list_->name(index))
                                                 : emptyPlaceholder());
  shown_.clear();
  table_->setRowCount(0);
  if (picture.isNull()) {
    scheduler_->pictureChanged(QString());  // no answer for the previous picture is drawn
    return;
  }
  if (!scheduler_->modelReady()) {
    Q_EMIT statusMessage(tr("Choose a model to detect digits in %1").arg(list_->name(index)));
  }
  scheduler_->pictureChanged(currentKey());
}

void DetectView::loadModel(const QString& path) {
  scheduler_->modelLoading();
  modelToRestore_.clear();
  loadedModel_ = path;
  modelInfo_->setText(tr("Loading %1…").arg(QFileInfo(path).fileName()));
  Q_EMIT statusMessage(tr("Loading model %1…").arg(QDir::toNativeSeparators(path)));
  model_->remember(path);
  model_->setLoaded(path);
  Q_EMIT loadRequested(path, device());
}

QString DetectView::device() const { return device_->currentText(); }

void DetectView::setDevice(const QString& device) {
  const int index = device_->findText(device);
  if (index >= 0) device_->setCurrentIndex(index);
}

void DetectView::setCurrentRunDir(const QString& runDir) { model_->setRunDir(runDir); }

void DetectView::chooseImages() {
  const QStringList paths =
      QFileDialog::getOpenFileNames(this, tr("Open images"), QString(),
                                    tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff)"));
  openImages(paths);
}

void DetectView::chooseModelFile() { model_->chooseFile(); }

bool DetectView::saveAnnotated(const QString& path, QString* error) const {
  const QImage base = drawing() ? sketch_->image() : list_->image(current_);
  if (base.isNull()) {
    if (error) *error = tr("There is no image to save.");
    return false;
  }
  if (!renderAnnotated(base, toLabeledBoxes(shown_)).save(path)) {
    if (error) *error = tr("Cannot write %1.").arg(QDir::toNativeSeparators(path));
    return false;
  }
  return true;
}

void DetectView::saveAnnotatedInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Save annotated image"), QString(),
                                                    tr("PNG images (*.png);;JPEG images (*.jpg)"));
  if (path.isEmpty()) return;
  QString error;
  if (!saveAnnotated(path, &error)) QMessageBox::warning(this, tr("Save failed"), error);
}

void DetectView::saveSettings(QSettings& s) const {
  s.setValue(QStringLiteral("detect/score"), settings().scoreThreshold);
  s.setValue(QStringLiteral("detect/nms"), settings().iouThreshold);
  s.setValue(QStringLiteral("detect/oneLabelPerObject"), settings().oneLabelPerObject);
  s.setValue(QStringLiteral("detect/recentModels"), model_->recentModels());
  s.setValue(QStringLiteral("detect/device"), device());
  s.setValue(QStringLiteral("detect/model"), loadedModel_);  // cleared when a load fails
}

void DetectView::restoreSettings(const QSettings& s) {
  DetectSettings d;
  d.scoreThreshold = s.value(QStringLiteral("detect/score"), d.scoreThreshold).toFloat();
  d.iouThreshold = s.value(QStringLiteral("detect/nms"), d.iouThreshold).toFloat();
  d.oneLabelPerObject =
      s.value(QStringLiteral("detect/oneLabelPerObject"), d.oneLabelPerObject).toBool();
  setSettings(d);
  model_->setRecentModels(s.value(QStringLiteral("detect/recentModels")).toStringList());
  setDevice(s.value(QStringLiteral("detect/device"), QStringLiteral("auto")).toString());
  // The model in use last time is named in the list and loaded again (in the background)
  // when the view is first shown, so it opens ready to detect, as it was left, without
  // holding a model (YOLOv3: hundreds of MB) in a session that never detects.
  const QString model = s.value(QStringLiteral("detect/model")).toString();
  if (!model.isEmpty() && QFileInfo::exists(model) && loadedModel_.isEmpty()) {
    modelToRestore_ = loadedModel_ = model;
    model_->remember(model);
    model_->setLoaded(model);
    if (isVisible()) loadModel(model);
  }
}

void DetectView::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (!modelToRestore_.isEmpty()) loadModel(std::exchange(modelToRestore_, QString()));
}

bool DetectView::modelReady() const { return scheduler_->modelReady(); }

bool DetectView::settled() const { return scheduler_->settled(); }

}  // namespace yolo::ui
