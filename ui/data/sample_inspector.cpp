#include "ui/data/sample_inspector.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTimer>
#include <QVBoxLayout>

#include "ui/common/box_image_view.h"
#include "ui/common/latest_image_decoder.h"
#include "ui/common/release_in_background.h"
#include "ui/data/dataset_stats_view.h"

namespace yolo::ui {

namespace {

QString choosePrompt() {
  return QCoreApplication::translate("yolo::ui::SampleInspector", "Select an image in the browser");
}

}  // namespace

namespace {
QString hoverHint() {
  return SampleInspector::tr("Hover a box to see it; wheel zooms, drag pans, double-click fits.");
}
}  // namespace

SampleInspector::SampleInspector(QWidget* parent) : QTabWidget(parent) {
  auto* imagePage = new QWidget;
  auto* imageLayout = new QVBoxLayout(imagePage);
  viewer_ = new BoxImageView;
  viewer_->setObjectName(QStringLiteral("annotationViewer"));
  viewer_->setPlaceholder(choosePrompt());
  imageLayout->addWidget(viewer_, 1);
  hovered_ = new QLabel(hoverHint());
  hovered_->setObjectName(QStringLiteral("hoveredBox"));
  imageLayout->addWidget(hovered_);
  line_ = new QLineEdit;
  line_->setObjectName(QStringLiteral("annotationLine"));
  line_->setReadOnly(true);
  line_->setPlaceholderText(tr("annotation line"));
  imageLayout->addWidget(line_);
  connect(viewer_, &BoxImageView::boxHovered, this, [this](int index) {
    const bool onABox = index >= 0 && index < viewer_->boxes().size();
    hovered_->setText(onABox ? viewer_->boxes()[index].tip : hoverHint());
  });
  addTab(imagePage, tr("Image"));
  decoder_ = new LatestImageDecoder(this);
  connect(decoder_, &LatestImageDecoder::ready, this, &SampleInspector::showPicture);
  connect(decoder_, &LatestImageDecoder::failed, this,
          [this](int row, const QString&, const QString& reason) { showUnreadable(row, reason); });
  // Small pictures decode in milliseconds: the previous one stays meanwhile, rather than a
  // flash of "Opening…" at every step through the browser.
  openingNotice_ = new QTimer(this);
  openingNotice_->setSingleShot(true);
  openingNotice_->setInterval(150);
  connect(openingNotice_, &QTimer::timeout, this, &SampleInspector::showOpening);
  stats_ = new DatasetStatsView;
  addTab(stats_, tr("Statistics"));
  issues_ = new QPlainTextEdit;
  issues_->setObjectName(QStringLiteral("issues"));
  issues_->setReadOnly(true);
  issues_->setPlaceholderText(tr("Problems found while reading the dataset appear here"));
  addTab(issues_, tr("Problems"));
}

void SampleInspector::setDataset(std::shared_ptr<const LoadedDataset> dataset) {
  dataset_ = std::move(dataset);
  stats_->setDataset(dataset_);
  issues_->setPlainText(dataset_ ? dataset_->issues.join(QLatin1Char('\n')) : QString());
  decoder_->dropWish();
  openingNotice_->stop();
  releaseInBackground(viewer_->image());
  viewer_->setPlaceholder(choosePrompt());
  viewer_->setImage({});
  viewer_->setBoxes({});
  line_->clear();
  hovered_->setText(hoverHint());
  shownRow_ = -1;
}

void SampleInspector::showProblems(const QStringList& issues) {
  issues_->setPlainText(issues.join(QLatin1Char('\n')));
}

bool SampleInspector::isOpening() const {
  return shownRow_ >= 0 && decoder_->wanted() == shownRow_;
}

QString SampleInspector::imagePath(int row) const {
  return QString::fromStdString(dataset_->samples[static_cast<size_t>(row)].image.string());
}

void SampleInspector::showSample(int row) {
  if (!dataset_ || row < 0 || row >= dataset_->size()) return;
  shownRow_ = row;
  decoder_->want(row, imagePath(row));
  openingNotice_->start();
}

void SampleInspector::showOpening() {
  if (!isOpening()) return;
  releaseInBackground(viewer_->image());
  viewer_->setImage(QImage());
  viewer_->setBoxes({});
  viewer_->setPlaceholder(tr("Opening %1…").arg(QFileInfo(imagePath(shownRow_)).fileName()));
  line_->setText(dataset_->lines.value(shownRow_));
  line_->setCursorPosition(0);
}

void SampleInspector::showUnreadable(int row, const QString& reason) {
  if (!dataset_ || row != shownRow_) return;  // a row skipped while it decoded
  openingNotice_->stop();
  // Named, without boxes floating over nothing; training and evaluation leave it out too.
  releaseInBackground(viewer_->image());
  viewer_->setPlaceholder(
      tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(imagePath(row)), reason));
  viewer_->setImage(QImage());
  viewer_->setBoxes({});
  line_->setText(dataset_->lines.value(row));
  line_->setCursorPosition(0);
}

void SampleInspector::showPicture(int row, const QImage& picture, const QImage& drawable) {
  if (!dataset_ || row != shownRow_) return;
  openingNotice_->stop();
  const data::Sample& sample = dataset_->samples[static_cast<size_t>(row)];
  line_->setText(dataset_->lines.value(row));
  line_->setCursorPosition(0);
  viewer_->setPlaceholder(choosePrompt());
  releaseInBackground(viewer_->image());  // a big photo is freed off this thread
  viewer_->setImage(picture, drawable);
  LabeledBoxes boxes;
  for (const data::Box& b : sample.boxes) {
    QString name = dataset_->classNames.value(b.classId, QString::number(b.classId));
    // Regions the evaluator ignores (VOC difficult, COCO iscrowd) say so on the image.
    if (b.kind == data::Box::Kind::difficult) name += tr(" (difficult)");
    if (b.kind == data::Box::Kind::crowd) name += tr(" (crowd)");
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
}

QString SampleInspector::shownLine() const { return line_->text(); }

QString SampleInspector::hoveredText() const { return hovered_->text(); }

QString SampleInspector::problemsText() const { return issues_->toPlainText(); }

}  // namespace yolo::ui
