// yolo-workbench.real: the Qt6 desktop front end. `yolo-workbench` itself
// (app/front/yolo_workbench_front.cpp) answers --help and --version and hands every other
// command line to this program.

#include <QApplication>
#include <QElapsedTimer>
#include <QIcon>
#include <QImageReader>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "app/gui/command_line.h"
#include "core/util/process_environment.h"
#include "ui/data/data_view.h"
#include "ui/detect/detect_view.h"
#include "ui/eval/evaluation_view.h"
#include "ui/main_window.h"
#include "ui/train/train_view.h"

int main(int argc, char** argv) {
  using namespace yolo::gui;
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
  // Qt's default (128 MB decoded) refuses a 50-megapixel phone photo. 1 GB takes any camera's
  // picture and still refuses, from its header, one that would not fit in memory.
  QImageReader::setAllocationLimit(1024);
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
  const QStringList views{QStringLiteral("data"), QStringLiteral("train"), QStringLiteral("detect"),
                          QStringLiteral("evaluate")};
  if (options.view == QStringLiteral("evaluate")) {
    // The model and the dataset given are the ones evaluated, at once.
    yolo::ui::EvaluationView* evaluation = window.evaluationView();
    if (!options.model.isEmpty()) evaluation->setModel(options.model);
    if (!options.dataset.isEmpty()) evaluation->setData(options.dataset);
    if (!options.model.isEmpty() && !options.dataset.isEmpty()) evaluation->evaluate();
  }
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
                               !window.dataView()->isOpening() &&
                               !window.evaluationView()->isRunning();
          const qint64 latest = std::max<qint64>(120000, earliest);
          if (started->elapsed() < earliest || (!settled && started->elapsed() < latest)) return;
          window.grab().save(path);
          QApplication::exit(0);
        });
    poll->start(200);
  }
  return QApplication::exec();
}
