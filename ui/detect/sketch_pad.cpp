#include "ui/detect/sketch_pad.h"

#include <QMouseEvent>
#include <QPainter>

#include "ui/common/box_image_view.h"
#include "ui/common/class_colors.h"

namespace yolo::ui {

namespace {
constexpr int kCanvasSide = 416;  // the models' usual input: no resampling of the strokes
}

SketchPad::SketchPad(QWidget* parent) : QWidget(parent) {
  canvas_ = QImage(kCanvasSide, kCanvasSide, QImage::Format_RGB32);
  canvas_.fill(Qt::white);
  setMinimumSize(240, 240);
  setCursor(Qt::CrossCursor);
  setToolTip(tr("Draw digits with the mouse; they are detected as you draw"));
  throttle_.setSingleShot(true);
  throttle_.setInterval(250);
  connect(&throttle_, &QTimer::timeout, this, [this] { Q_EMIT drawn(canvas_); });
}

void SketchPad::clear() {
  canvas_.fill(Qt::white);
  boxes_.clear();
  dashed_.clear();
  update();
  Q_EMIT drawn(canvas_);
}

void SketchPad::setBoxes(const LabeledBoxes& boxes) {
  boxes_ = boxes;
  dashed_.clear();
  update();
}

void SketchPad::setDashedBoxes(const LabeledBoxes& boxes) {
  dashed_ = boxes;
  update();
}

QRectF SketchPad::canvasRect() const {
  const double side = std::min(width(), height()) - 8;
  return QRectF((width() - side) / 2, (height() - side) / 2, side, side);
}

QPointF SketchPad::toCanvas(const QPointF& p) const {
  const QRectF r = canvasRect();
  return QPointF((p.x() - r.left()) * kCanvasSide / r.width(),
                 (p.y() - r.top()) * kCanvasSide / r.height());
}

void SketchPad::strokeTo(const QPointF& point) {
  QPainter painter(&canvas_);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(Qt::black, penWidth_, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  painter.drawLine(last_, point);
  last_ = point;
  update();
}

void SketchPad::mousePressEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton) return;
  drawing_ = true;
  last_ = toCanvas(event->position());
  strokeTo(last_);
}

void SketchPad::mouseMoveEvent(QMouseEvent* event) {
  if (!drawing_) return;
  strokeTo(toCanvas(event->position()));
  if (!throttle_.isActive()) throttle_.start();
}

void SketchPad::mouseReleaseEvent(QMouseEvent* event) {
  if (event->button() != Qt::LeftButton || !drawing_) return;
  drawing_ = false;
  throttle_.stop();
  Q_EMIT drawn(canvas_);
}

void SketchPad::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());
  const QRectF r = canvasRect();
  painter.drawImage(r, renderAnnotated(canvas_, boxes_));
  const double scale = r.width() / kCanvasSide;
  for (const LabeledBox& box : dashed_) {
    painter.setPen(QPen(classColor(box.classId), 1.5, Qt::DashLine));
    painter.drawRect(QRectF(r.left() + box.rect.left() * scale, r.top() + box.rect.top() * scale,
                            box.rect.width() * scale, box.rect.height() * scale));
  }
  painter.setPen(QPen(palette().mid().color(), 1));
  painter.drawRect(r);
}

}  // namespace yolo::ui
