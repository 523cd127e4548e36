#pragma once
// yolo-workbench's command line: the options, --help and --version. QtCore only, so the
// front (app/front/yolo_workbench_front.cpp) answers --help and --version without loading
// Qt Widgets or libtorch, with the same text as the workbench itself.

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace yolo::gui {

/// Whether the command line asks only for help or the version: those must work on a machine
/// without a display, answered by a QCoreApplication before any window-system connection.
bool wantsInfoOnly(int argc, char** argv);

/// Application name, organisation and version, as --version and QSettings use them.
void describeApplication();

struct GuiOptions {
  QStringList images;
  QString screenshot;
  int screenshotWaitSeconds = 4;
  QString view;
  QString runDir;
  QString dataset;
  QString model;
};

/// Parses the application's arguments; prints help or the version and exits for those, and
/// exits with status 2 on a bad value.
GuiOptions parseArguments(const QCoreApplication& app);

}  // namespace yolo::gui
