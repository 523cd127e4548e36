#include "ui/common/box_image_view.h"

#include <QGraphicsPixmapItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSceneHoverEvent>
#include <QGraphicsSimpleTextItem>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "ui/common/class_colors.h"

namespace yolo::ui {

// A box whose pen thickens while hovered; its label keeps a readable size at any zoom.
class BoxItem : public QGraphicsRectItem {
 public:
  BoxItem(BoxImageView* view, int index, const LabeledBox& box)
      : QGraphicsRectItem(box.rect), view_(view), index_(index), color_(classColor(box.classId)) {
    setAcceptHoverEvents(true);
    setToolTip(box.tip.isEmpty() ? box.label : box.tip);
    setHighlighted(false);
    if (!box.label.isEmpty()) {
      auto* tag = new QGraphicsRectItem(this);
      auto* text = new QGraphicsSimpleTextItem(box.label, tag);
      text->setBrush(Qt::white);
      const QRectF bounds = text->boundingRect().adjusted(-3, -1, 3, 1);
      text->setPos(3, 1);
      tag->setRect(0, 0, bounds.width(), bounds.height());
      tag->setBrush(color_);
      tag->setPen(Qt::NoPen);
      tag->setFlag(QGraphicsItem::ItemIgnoresTransformations);
      tag->setPos(box.rect.topLeft());
      // Above the box when there is room in the image, else inside it.
      tag->setTransform(QTransform::fromTranslate(0, box.rect.top() > 12 ? -bounds.height() : 0));
      tag->setAcceptHoverEvents(false);
    }
  }

  void setHighlighted(bool on) {
    QPen pen(color_, on ? 4.0 : 2.0);
    pen.setCosmetic(true);  // width in screen pixels, whatever the zoom
    setPen(pen);
    QColor fill = color_;
    fill.setAlpha(on ? 70 : 0);
    setBrush(on ? QBrush(fill) : Qt::NoBrush);
    setZValue(on ? 2 : 1);
  }

 protected:
  void hoverEnterEvent(QGraphicsSceneHoverEvent*) override { view_->onItemHovered(index_, true); }
  void hoverLeaveEvent(QGraphicsSceneHoverEvent*) override { view_->onItemHovered(index_, false); }

 private:
  BoxImageView* view_;
  int index_;
  QColor color_;
};

BoxImageView::BoxImageView(QWidget* parent) : QGraphicsView(parent) {
  scene_ = new QGraphicsScene(this);
  setScene(scene_);
  pixmap_ = scene_->addPixmap(QPixmap());
  pixmap_->setTransformationMode(Qt::FastTransformation);  // see the pixels when zoomed in
  setDragMode(QGraphicsView::ScrollHandDrag);
  setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  setRenderHints(QPainter::Antialiasing | QPainter::SmoothPixmapTransform);
  setBackgroundBrush(QColor(64, 64, 64));
  setMouseTracking(true);
}

QImage BoxImageView::drawableCopy(const QImage& image) {
  constexpr int kLargestDrawnSide = 4096;
  if (image.width() <= kLargestDrawnSide && image.height() <= kLargestDrawnSide) return image;
  return image.scaled(kLargestDrawnSide, kLargestDrawnSide, Qt::KeepAspectRatio,
                      Qt::SmoothTransformation);
}

void BoxImageView::setImage(const QImage& image, const QImage& drawable) {
  image_ = image;
  setBoxes({});
  const QImage drawn = drawable.isNull() ? drawableCopy(image) : drawable;
  pixmap_->setPixmap(QPixmap::fromImage(drawn));
  pixmap_->setTransform(drawn.isNull() || drawn.size() == image.size()
                            ? QTransform()
                            : QTransform::fromScale(double(image.width()) / drawn.width(),
                                                    double(image.height()) / drawn.height()));
  scene_->setSceneRect(QRectF(QPointF(0, 0), QSizeF(image.size())));
  fitToWindow();
  viewport()->update();
}

void BoxImageView::setDashedBoxes(const LabeledBoxes& boxes) {
  for (QGraphicsRectItem* item : dashed_) {
    scene_->removeItem(item);
    delete item;
  }
  dashed_.clear();
  for (const LabeledBox& box : boxes) {
    auto* item = new QGraphicsRectItem(box.rect);
    QPen pen(classColor(box.classId), 1.5, Qt::DashLine);
    pen.setCosmetic(true);
    item->setPen(pen);
    item->setToolTip(box.tip);
    item->setZValue(0.5);  // above the picture, under the detections
    scene_->addItem(item);
    dashed_.push_back(item);
  }
}

void BoxImageView::setBoxes(const LabeledBoxes& boxes) {
  setDashedBoxes({});
  for (BoxItem* item : items_) {
    scene_->removeItem(item);
    delete item;
  }
  items_.clear();
  boxes_ = boxes;
  highlighted_ = -1;
  for (int i = 0; i < boxes_.size(); ++i) {
    auto* item = new BoxItem(this, i, boxes_[i]);
    scene_->addItem(item);
    items_.push_back(item);
  }
}

void BoxImageView::setPlaceholder(const QString& text) {
  placeholder_ = text;
  viewport()->update();
}

void BoxImageView::fitToWindow() {
  fitted_ = true;
  if (image_.isNull()) return;
  fitInView(pixmap_, Qt::KeepAspectRatio);
}

void BoxImageView::zoomBy(double factor) {
  const double next = zoom() * factor;
  if (next < 0.02 || next > 64) return;
  fitted_ = false;
  scale(factor, factor);
}

double BoxImageView::zoom() const { return transform().m11(); }

void BoxImageView::highlight(int index) {
  if (highlighted_ >= 0 && highlighted_ < items_.size())
    items_[highlighted_]->setHighlighted(false);
  highlighted_ = (index >= 0 && index < items_.size()) ? index : -1;
  if (highlighted_ >= 0) items_[highlighted_]->setHighlighted(true);
}

void BoxImageView::onItemHovered(int index, bool entered) {
  if (entered) {
    highlight(index);
    Q_EMIT boxHovered(index);
  } else if (highlighted_ == index) {
    highlight(-1);
    Q_EMIT boxHovered(-1);
  }
}

void BoxImageView::wheelEvent(QWheelEvent* event) {
  const double steps = event->angleDelta().y() / 120.0;
  if (steps == 0) return;
  zoomBy(std::pow(1.25, steps));
  event->accept();
}

void BoxImageView::mouseDoubleClickEvent(QMouseEvent* event) {
  fitToWindow();
  event->accept();
}

void BoxImageView::mouseMoveEvent(QMouseEvent* event) {
  QGraphicsView::mouseMoveEvent(event);
  if (image_.isNull() || highlighted_ >= 0 || event->buttons() != Qt::NoButton) return;
  const QPointF point = mapToScene(event->position().toPoint());
  if (sceneRect().contains(point)) Q_EMIT pointHovered(point);
}

void BoxImageView::resizeEvent(QResizeEvent* event) {
  QGraphicsView::resizeEvent(event);
  if (fitted_) fitToWindow();
}

void BoxImageView::drawForeground(QPainter* painter, const QRectF& rect) {
  QGraphicsView::drawForeground(painter, rect);
  if (!image_.isNull() || placeholder_.isEmpty()) return;
  painter->save();
  painter->resetTransform();
  painter->setPen(QColor(220, 220, 220));
  painter->drawText(viewport()->rect().adjusted(20, 20, -20, -20),
                    Qt::AlignCenter | Qt::TextWordWrap, placeholder_);
  painter->restore();
}

QImage renderAnnotated(const QImage& image, const LabeledBoxes& boxes) {
  QImage out = image.convertToFormat(QImage::Format_RGB32);
  QPainter painter(&out);
  painter.setRenderHint(QPainter::Antialiasing);
  const double thickness = std::max(2.0, std::min(out.width(), out.height()) / 250.0);
  QFont font = painter.font();
  font.setPixelSize(std::max(11, static_cast<int>(std::min(out.width(), out.height()) / 40)));
  painter.setFont(font);
  const QFontMetrics metrics(font);
  for (const LabeledBox& box : boxes) {
    const QColor color = classColor(box.classId);
    painter.setPen(QPen(color, thickness));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(box.rect);
    if (box.label.isEmpty()) continue;
    const QRect textRect = metrics.boundingRect(box.label).adjusted(-3, -1, 3, 1);
    QPointF at = box.rect.topLeft();
    if (at.y() >= textRect.height()) at.ry() -= textRect.height();
    const QRectF tag(at, QSizeF(textRect.size()));
    painter.fillRect(tag, color);
    painter.setPen(Qt::white);
    painter.drawText(tag, Qt::AlignCenter, box.label);
  }
  return out;
}

}  // namespace yolo::ui
