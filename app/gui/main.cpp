// yolo-workbench: the Qt6 desktop front end.

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include <cstring>
#include <memory>

#include "core/version.h"
#include "ui/main_window.h"

namespace {

// --help and --version must work on a machine without a display, so they are
// answered by a QCoreApplication before any window-system connection is made.
bool wantsInfoOnly(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    for (const char* flag : {"-h", "--help", "-v", "--version", "--help-all"}) {
      if (std::strcmp(argv[i], flag) == 0) return true;
    }
  }
  return false;
}

void describeApplication() {
  QCoreApplication::setApplicationName(QStringLiteral("yolo-workbench"));
  QCoreApplication::setOrganizationName(QStringLiteral("yolo-workbench"));
  QCoreApplication::setApplicationVersion(QString::fromLatin1(yolo::kVersion));
}

void parseArguments(const QCoreApplication& app) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "YOLO Workbench: make digit-detection data, train YOLOv3 detectors and watch them "
      "learn, drop an image to detect."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.process(app);
}

}  // namespace

int main(int argc, char** argv) {
  if (wantsInfoOnly(argc, argv)) {
    QCoreApplication app(argc, argv);
    describeApplication();
    parseArguments(app);  // prints and exits
    return 0;
  }

  QApplication app(argc, argv);
  describeApplication();
  QApplication::setApplicationDisplayName(QStringLiteral("YOLO Workbench"));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/yolo-workbench.svg")));
  parseArguments(app);

  yolo::ui::MainWindow window;
  window.show();
  return QApplication::exec();
}
