#pragma once
// A section of a form that starts closed behind a toggle ("▸ Advanced"), as the data
// generator's and the run configuration's advanced settings are.

#include <QString>

class QBoxLayout;
class QToolButton;
class QWidget;

namespace yolo::ui {

/// Adds to `layout` a checkable toggle titled `title` with an arrow, then `content`, hidden
/// until the toggle is checked. Returns the toggle.
QToolButton* addCollapsibleSection(QBoxLayout* layout, const QString& title, QWidget* content);

}  // namespace yolo::ui
