#pragma once
// One colour per class, the same in every view (data browser, annotation viewer, detections).

#include <QColor>

namespace yolo::ui {

/// Ten well-separated colours (Tableau 10), repeating for more classes.
QColor classColor(int classId);

}  // namespace yolo::ui
