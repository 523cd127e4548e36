#include "ui/common/collapsible_section.h"

#include <QBoxLayout>
#include <QToolButton>
#include <QWidget>

namespace yolo::ui {

QToolButton* addCollapsibleSection(QBoxLayout* layout, const QString& title, QWidget* content) {
  auto* toggle = new QToolButton;
  toggle->setText(title);
  toggle->setCheckable(true);
  toggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  toggle->setArrowType(Qt::RightArrow);
  toggle->setAutoRaise(true);
  layout->addWidget(toggle);
  content->setVisible(false);
  layout->addWidget(content);
  QObject::connect(toggle, &QToolButton::toggled, content, [toggle, content](bool on) {
    toggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    content->setVisible(on);
  });
  return toggle;
}

}  // namespace yolo::ui
