#pragma once
// An image with labelled boxes over it: wheel to zoom (about the cursor), drag to pan,
// double-click to fit; the box under the mouse is highlighted and reported.

#include <QGraphicsView>
#include <QImage>

#include "ui/common/labeled_box.h"

class QGraphicsPixmapItem;
class QGraphicsRectItem;
class QGraphicsScene;

namespace yolo::ui {

class BoxItem;

class BoxImageView : public QGraphicsView {
  Q_OBJECT

 public:
  explicit BoxImageView(QWidget* parent = nullptr);

  /// Shows `image` fitted to the view; boxes are cleared. The screen draws `drawable`,
  /// drawableCopy(image) made beforehand (off the GUI thread, for a big picture); when null,
  /// it is made here.
  void setImage(const QImage& image, const QImage& drawable = QImage());
  /// What the view draws for `image`: the image itself up to 4096 pixels a side, else a
  /// smooth-scaled copy that large (the view scales it back up to the image's size). The
  /// screen shows no more than that at any sensible zoom, and a 100-megapixel photo made
  /// into a pixmap whole would hold up the window for a fifth of a second. Thread-safe.
  static QImage drawableCopy(const QImage& image);
  QImage image() const { return image_; }
  void setBoxes(const LabeledBoxes& boxes);
  const LabeledBoxes& boxes() const { return boxes_; }
  /// Boxes drawn dashed under the others, not hoverable (the candidates removed for a
  /// detection); cleared with the image and the boxes.
  void setDashedBoxes(const LabeledBoxes& boxes);
  int dashedBoxCount() const { return static_cast<int>(dashed_.size()); }
  /// Text shown centred when there is no image.
  void setPlaceholder(const QString& text);
  QString placeholder() const { return placeholder_; }

  void fitToWindow();
  void zoomBy(double factor);
  double zoom() const;
  /// Highlights box `index` as if hovered (-1: none), e.g. when its table row is selected.
  void highlight(int index);

 Q_SIGNALS:
  /// The box under the mouse changed; -1 when it left all boxes.
  void boxHovered(int index);
  /// The mouse moved over the image where no box is: `point` in image pixels.
  void pointHovered(const QPointF& point);

 protected:
  void wheelEvent(QWheelEvent* event) override;
  void mouseDoubleClickEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  friend class BoxItem;
  void onItemHovered(int index, bool entered);

  QGraphicsScene* scene_ = nullptr;
  QGraphicsPixmapItem* pixmap_ = nullptr;
  QImage image_;
  LabeledBoxes boxes_;
  QVector<BoxItem*> items_;
  QVector<QGraphicsRectItem*> dashed_;
  QString placeholder_;
  bool fitted_ = true;  // keep fitting on resize until the user zooms
  int highlighted_ = -1;
};

/// The image with its boxes and labels painted in (for saving an annotated picture).
QImage renderAnnotated(const QImage& image, const LabeledBoxes& boxes);

}  // namespace yolo::ui
