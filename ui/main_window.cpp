#include "ui/main_window.h"

#include <QLabel>
#include <QStatusBar>
#include <QTabWidget>

namespace yolo::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("YOLO Workbench"));
  views_ = new QTabWidget(this);
  views_->addTab(new QLabel(tr("Data"), views_), tr("&Data"));
  views_->addTab(new QLabel(tr("Train"), views_), tr("&Train"));
  views_->addTab(new QLabel(tr("Detect"), views_), tr("D&etect"));
  setCentralWidget(views_);
  statusBar()->showMessage(tr("Ready"));
  resize(1200, 800);
}

}  // namespace yolo::ui
