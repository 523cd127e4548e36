#pragma once
// A blank canvas to draw digits on with the mouse (black ink on white, as the generated
// data), with the latest detections drawn over the strokes (and, dashed, the candidates
// removed for the one explained).

#include <QImage>
#include <QPointF>
#include <QTimer>
#include <QWidget>

#include "ui/common/labeled_box.h"

namespace yolo::ui {

class SketchPad : public QWidget {
  Q_OBJECT

 public:
  explicit SketchPad(QWidget* parent = nullptr);

  QImage image() const { return canvas_; }
  void setBoxes(const LabeledBoxes& boxes);
  /// Boxes drawn dashed over the strokes (the candidates removed for a detection); cleared
  /// with the boxes and the drawing.
  void setDashedBoxes(const LabeledBoxes& boxes);
  int dashedBoxCount() const { return static_cast<int>(dashed_.size()); }
  void setPenWidth(int pixels) { penWidth_ = pixels; }
  QSize sizeHint() const override { return {460, 460}; }

 public Q_SLOTS:
  void clear();

 Q_SIGNALS:
  /// The drawing changed (throttled while drawing, always after a stroke ends).
  void drawn(const QImage& image);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void mouseReleaseEvent(QMouseEvent* event) override;

 private:
  QRectF canvasRect() const;
  QPointF toCanvas(const QPointF& widgetPoint) const;
  void strokeTo(const QPointF& canvasPoint);

  QImage canvas_;
  LabeledBoxes boxes_;
  LabeledBoxes dashed_;
  QPointF last_;
  bool drawing_ = false;
  int penWidth_ = 22;
  QTimer throttle_;
};

}  // namespace yolo::ui
