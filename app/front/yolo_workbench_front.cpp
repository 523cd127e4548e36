// yolo-workbench: answers --help and --version with QtCore alone (no Qt Widgets, no
// libtorch, no display), and hands every other command line to yolo-workbench.real
// (app/gui/main.cpp).

#include <cstdlib>

#include <QCoreApplication>

#include "app/front/exec_program.h"
#include "app/gui/command_line.h"

int main(int argc, char** argv) {
  if (yolo::gui::wantsInfoOnly(argc, argv)) {
    QCoreApplication app(argc, argv);
    yolo::gui::describeApplication();
    yolo::gui::parseArguments(app);  // prints and exits
    return 0;
  }
  // Training runs beside the GUI thread: libtorch's OpenMP threads must sleep between
  // parallel regions. Set here, the real program need not re-execute itself to read it.
  ::setenv("OMP_WAIT_POLICY", "passive", 0);
  yolo::front::execProgramBeside("yolo-workbench.real", argv);
  return 1;
}
