#include "ui/data/sample_inspector.h"

#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "ui/common/box_image_view.h"
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
  viewer_->setImage({});
  viewer_->setBoxes({});
  line_->clear();
  hovered_->setText(hoverHint());
  shownRow_ = -1;
}

void SampleInspector::showProblems(const QStringList& issues) {
  issues_->setPlainText(issues.join(QLatin1Char('\n')));
}

void SampleInspector::showSample(int row) {
  if (!dataset_ || row < 0 || row >= dataset_->size()) return;
  shownRow_ = row;
  const data::Sample& sample = dataset_->samples[static_cast<size_t>(row)];
  const QString path = QString::fromStdString(sample.image.string());
  QImageReader reader(path);
  reader.setAutoTransform(true);  // EXIF orientation: the picture the boxes were drawn on
  const QImage picture = reader.read();
  line_->setText(dataset_->lines.value(row));
  line_->setCursorPosition(0);
  if (picture.isNull()) {
    // Named, without boxes floating over nothing; training and evaluation leave it out too.
    viewer_->setPlaceholder(
        tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(path), reader.errorString()));
    viewer_->setImage(QImage());
    viewer_->setBoxes({});
    return;
  }
  viewer_->setPlaceholder(choosePrompt());
  viewer_->setImage(picture);
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
