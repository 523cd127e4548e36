#pragma once
// The workbench's main window: Data, Train and Detect views in a tab bar.

#include <QMainWindow>

class QTabWidget;

namespace yolo::ui {

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

 private:
  QTabWidget* views_ = nullptr;
};

}  // namespace yolo::ui
