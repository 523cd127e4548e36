#pragma once
// A box to draw over an image: ground truth in the data views, a detection in Detect.

#include <QRectF>
#include <QString>
#include <QVector>

namespace yolo::ui {

struct LabeledBox {
  QRectF rect;  ///< image pixels; right/bottom are the exclusive edges x2, y2
  int classId = 0;
  QString label;  ///< drawn on the box ("7", "7 0.93")
  QString tip;    ///< shown on hover (the annotation token, the score)
};

using LabeledBoxes = QVector<LabeledBox>;

}  // namespace yolo::ui
