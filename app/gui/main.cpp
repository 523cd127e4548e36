// yolo-workbench: the Qt6 desktop front end.

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QIcon>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/util/process_environment.h"
#include "core/version.h"
#include "ui/data/data_view.h"
#include "ui/detect/detect_view.h"
#include "ui/main_window.h"
#include "ui/train/train_view.h"

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

struct GuiOptions {
  QStringList images;
  QString screenshot;
  int screenshotWaitSeconds = 4;
  QString view;
  QString runDir;
  QString dataset;
  QString model;
};

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
                                QStringLiteral("View to show first: data, train, detect or draw\n"
                                               "(the Detect view's drawing pad)."),
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

}  // namespace

int main(int argc, char** argv) {
  // Before any thread allocates: training and detection run on worker threads.
  yolo::keepLargeAllocationsInOneHeap();
  yolo::ensurePassiveOpenMpWaiting(argv);  // training shares the cores with the GUI thread
  if (wantsInfoOnly(argc, argv)) {
    QCoreApplication app(argc, argv);
    describeApplication();
    parseArguments(app);  // prints and exits
    return 0;
  }

  QApplication app(argc, argv);
  describeApplication();
  QApplication::setApplicationDisplayName(QStringLiteral("YOLO Workbench"));
  // PNG sizes first: Qt's SVG plugin is not always installed.
  QIcon icon;
  for (const char* size : {"32", "64", "256"}) {
    icon.addFile(QStringLiteral(":/icons/png/%1.png").arg(QLatin1String(size)));
  }
  icon.addFile(QStringLiteral(":/icons/yolo-workbench.svg"));
  QApplication::setWindowIcon(icon);
  const GuiOptions options = parseArguments(app);

  yolo::ui::MainWindow window;
  window.show();
  if (!options.dataset.isEmpty()) window.dataView()->openDataset(options.dataset);
  if (!options.runDir.isEmpty()) window.trainView()->openRunFolder(options.runDir);
  if (!options.model.isEmpty()) window.detectView()->loadModel(options.model);
  if (!options.images.isEmpty()) window.detectView()->openImages(options.images);
  const QStringList views{QStringLiteral("data"), QStringLiteral("train"),
                          QStringLiteral("detect")};
  if (views.contains(options.view)) {
    window.showView(static_cast<yolo::ui::MainWindow::View>(views.indexOf(options.view)));
  } else if (options.view == QStringLiteral("draw")) {
    window.showView(yolo::ui::MainWindow::kDetect);
    window.detectView()->showDrawingPad();
  } else if (!options.images.isEmpty()) {
    window.showView(yolo::ui::MainWindow::kDetect);
  }
  if (!options.screenshot.isEmpty()) {
    // The picture shows what a user would see once the window is done: after the first
    // paint, data generation finished, the dataset read and the model loaded with its
    // detections drawn (polled, as these finish on worker threads), or after two minutes,
    // whatever is shown then.
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    auto* poll = new QTimer(&window);
    QObject::connect(
        poll, &QTimer::timeout, &window,
        [&window, started, path = options.screenshot,
         earliest = options.screenshotWaitSeconds * qint64{1000}] {
          const bool settled = window.detectView()->settled() && !window.dataView()->isBusy() &&
                               !window.dataView()->isOpening();
          const qint64 latest = std::max<qint64>(120000, earliest);
          if (started->elapsed() < earliest || (!settled && started->elapsed() < latest)) return;
          window.grab().save(path);
          QApplication::exit(0);
        });
    poll->start(200);
  }
  return QApplication::exec();
}
