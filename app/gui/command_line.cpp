#include "app/gui/command_line.h"

#include <QCommandLineParser>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/version.h"

namespace yolo::gui {

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

GuiOptions parseArguments(const QCoreApplication& app) {
  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "YOLO Workbench: make digit-detection data, train YOLOv3 detectors and watch them "
      "learn, drop an image to detect."));
  parser.addHelpOption();
  parser.addVersionOption();
  parser.addPositionalArgument(QStringLiteral("images"),
                               QStringLiteral("Image files to open in the Detect view."),
                               QStringLiteral("[images...]"));
  const QCommandLineOption view(QStringLiteral("view"),
                                QStringLiteral("View to show first: data, train, detect, evaluate\n"
                                               "(evaluates --model on --dataset) or draw (the\n"
                                               "Detect view's drawing pad)."),
                                QStringLiteral("name"));
  const QCommandLineOption run(QStringLiteral("run"),
                               QStringLiteral("Run folder whose curves to show (and follow)."),
                               QStringLiteral("folder"));
  const QCommandLineOption dataset(QStringLiteral("dataset"),
                                   QStringLiteral("Dataset to open in the Data view."),
                                   QStringLiteral("path"));
  const QCommandLineOption screenshot(
      QStringLiteral("screenshot"),
      QStringLiteral("Save a picture of the window to <file> once it is done (data generated,\n"
                     "dataset read, model loaded and its detections drawn; 4 s to 2 min),\n"
                     "then quit."),
      QStringLiteral("file"));
  const QCommandLineOption model(QStringLiteral("model"),
                                 QStringLiteral("Checkpoint (or run folder) to detect with."),
                                 QStringLiteral("path"));
  const QCommandLineOption screenshotWait(
      QStringLiteral("screenshot-wait"),
      QStringLiteral("Take the --screenshot no sooner than <seconds> after start (default 4),\n"
                     "for scripts that use the window first (e.g. draw on the pad)."),
      QStringLiteral("seconds"), QStringLiteral("4"));
  parser.addOptions({view, run, dataset, model, screenshot, screenshotWait});
  parser.process(app);
  GuiOptions options{parser.positionalArguments(), parser.value(screenshot), 4,
                     parser.value(view),           parser.value(run),        parser.value(dataset),
                     parser.value(model)};
  bool isNumber = false;
  options.screenshotWaitSeconds = parser.value(screenshotWait).toInt(&isNumber);
  if (!isNumber || options.screenshotWaitSeconds < 0 || options.screenshotWaitSeconds > 3600) {
    std::fprintf(stderr, "yolo-workbench: --screenshot-wait takes 0..3600 seconds\n");
    std::exit(2);
  }
  return options;
}

}  // namespace yolo::gui
