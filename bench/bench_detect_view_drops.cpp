// How the workbench holds up when bad or huge files are dropped on the Detect view: the lag
// of a 10 ms timer in the GUI thread of the real MainWindow (offscreen) while each drop is
// listed, decoded (or refused) and shown, as the drop handler does it
// (DetectView::openImages). The reference is the same timer with the window idle, measured
// first in the same process.
//
// Cases: a 0-byte file, text named .png, a JPEG cut in half, a PNG whose header claims
// 20,000 x 20,000 (refused by the decoder's memory limit), a real photo-sized JPEG
// (--side x --side), and a folder of --folder small PNGs. For each: ticks, p50 / p99 / max
// lag, the seconds until the list's decoding ended, and what the view said. Then the Data
// view: a dataset of three such photos opened, and each selected in the browser in turn, as
// a user steps through someone else's photos, until its picture is shown.

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QListWidget>
#include <QPainter>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "bench/lag_probe.h"
#include "core/util/process_environment.h"
#include "tests/ui/support/png_claiming.h"
#include "ui/common/box_image_view.h"
#include "ui/data/data_view.h"
#include "ui/data/dataset_browser.h"
#include "ui/data/sample_inspector.h"
#include "ui/detect/detect_view.h"
#include "ui/main_window.h"

namespace {

using yolo::bench::LagProbe;
using yolo::bench::runFor;

struct Options {
  double idleSeconds = 2;
  int side = 12000;    // the big photo's side, pixels
  int folder = 10000;  // images in the dropped folder
};

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (a == "--idle-seconds")
      o.idleSeconds = std::atof(v);
    else if (a == "--side")
      o.side = std::atoi(v);
    else if (a == "--folder")
      o.folder = std::atoi(v);
    else
      return false;
  }
  return true;
}

void writeBytes(const QString& path, const QByteArray& bytes) {
  QFile file(path);
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
    throw std::runtime_error("cannot write " + path.toStdString());
}

QByteArray fileBytes(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly))
    throw std::runtime_error("cannot read " + path.toStdString());
  return file.readAll();
}

// A photo-like JPEG: gradients and shapes, so it compresses and decodes like a real one.
void writePhoto(const QString& path, int side) {
  QImage photo(side, side * 3 / 4, QImage::Format_RGB32);
  QPainter painter(&photo);
  QLinearGradient sky(0, 0, side, photo.height());
  sky.setColorAt(0, QColor(40, 90, 160));
  sky.setColorAt(1, QColor(230, 200, 150));
  painter.fillRect(photo.rect(), sky);
  for (int i = 0; i < 200; ++i) {
    painter.setBrush(QColor::fromHsv((i * 37) % 360, 150, 200));
    painter.drawEllipse(QPoint((i * 7919) % side, (i * 104729) % photo.height()), side / 40,
                        side / 60);
  }
  painter.end();
  if (!photo.save(path, "JPG", 85)) throw std::runtime_error("cannot write " + path.toStdString());
}

}  // namespace

int main(int argc, char** argv) {
  yolo::ensurePassiveOpenMpWaiting(argv);  // as yolo-workbench runs
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  Options o;
  if (!parse(argc, argv, o)) {
    std::printf("bench_detect_view_drops [--idle-seconds S] [--side PX] [--folder N]\n");
    return 2;
  }
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("yolo-workbench-bench"));
  QCoreApplication::setApplicationName(QStringLiteral("bench_detect_view_drops"));
  QImageReader::setAllocationLimit(1024);  // as the workbench sets it (app/gui/main.cpp)

  QTemporaryDir dir;
  const auto file = [&](const char* name) { return dir.filePath(QString::fromLatin1(name)); };
  QElapsedTimer making;
  making.start();
  try {
    writeBytes(file("empty.png"), QByteArray());
    writeBytes(file("notes.png"), "These are notes, not a picture.\n");
    writePhoto(file("photo.jpg"), o.side);
    const QByteArray photo = fileBytes(file("photo.jpg"));
    writeBytes(file("truncated.jpg"), photo.left(photo.size() / 2));
    writeBytes(file("huge-header.png"), yolo::test::pngClaiming(20000));
    for (const char* copy : {"photo-2.jpg", "photo-3.jpg"}) writeBytes(file(copy), photo);
    writeBytes(file("photos.txt"),
               QStringLiteral("%1 100,100,900,700,0\n%2 50,60,400,300,1\n"
                              "%3 10,10,2000,1500,2\n")
                   .arg(file("photo.jpg"), file("photo-2.jpg"), file("photo-3.jpg"))
                   .toUtf8());
    QDir().mkpath(file("folder"));
    QImage small(64, 48, QImage::Format_RGB32);
    small.fill(Qt::gray);
    small.save(file("folder/0.png"));
    const QByteArray smallBytes = fileBytes(file("folder/0.png"));
    for (int i = 1; i < o.folder; ++i)
      writeBytes(dir.filePath(QStringLiteral("folder/%1.png").arg(i, 5, 10, QLatin1Char('0'))),
                 smallBytes);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_detect_view_drops: %s\n", e.what());
    return 2;
  }
  std::printf("files made in %.1f s\n", making.elapsed() / 1000.0);

  yolo::ui::MainWindow window;
  window.resize(1280, 820);
  window.show();
  window.showView(yolo::ui::MainWindow::kDetect);
  yolo::ui::DetectView* detect = window.detectView();
  QString said;
  QObject::connect(detect, &yolo::ui::DetectView::statusMessage,
                   [&](const QString& message) { said = message; });
  runFor(0.5);

  LagProbe probe;
  probe.start();
  runFor(o.idleSeconds);
  probe.stop();

  struct Case {
    const char* name;
    QString path;
  };
  const Case cases[] = {
      {"0-byte file", file("empty.png")},
      {"text named .png", file("notes.png")},
      {"JPEG cut in half", file("truncated.jpg")},
      {"20000x20000 header", file("huge-header.png")},
      {"big photo", file("photo.jpg")},
      {"folder of images", file("folder")},
  };
  std::printf("GUI-thread lag of a 10 ms timer, ms (MainWindow offscreen, Detect view shown)\n");
  std::printf("big photo: %d x %d JPEG; folder: %d PNGs\n", o.side, o.side * 3 / 4, o.folder);
  std::printf("%-20s %6s %8s %8s %8s %9s  %s\n", "drop", "ticks", "p50", "p99", "max", "shown (s)",
              "the view said");
  const auto print = [](const char* name, const LagProbe::Figures& f, double seconds,
                        const QString& message) {
    std::printf("%-20s %6zu %8.2f %8.2f %8.2f %9.2f  %s\n", name, f.ticks, f.p50, f.p99, f.max,
                seconds, qPrintable(message.left(90)));
  };
  print("idle (reference)", probe.figures(), o.idleSeconds, QString());
  double worstMax = 0;
  auto* images = detect->findChild<QListWidget*>(QStringLiteral("detectImages"));
  for (const Case& c : cases) {
    said.clear();
    probe.start();
    runFor(0.1);  // ticks before the drop, so the drop's own time is one tick's lag
    QElapsedTimer shown;
    shown.start();
    QTimer::singleShot(0, detect, [&] { detect->openImages({c.path}); });
    // Until the view shows the picture or has said why it cannot (at most 60 s).
    const auto settled = [&] {
      return !detect->imageView()->image().isNull() || said.startsWith(QStringLiteral("Cannot")) ||
             said.startsWith(QStringLiteral("Choose"));
    };
    runFor(0.01);
    while (!settled() && shown.elapsed() < 60000) runFor(0.01);
    const double seconds = shown.elapsed() / 1000.0;
    runFor(0.3);  // and what follows it (drawing)
    probe.stop();
    const auto f = probe.figures();
    worstMax = std::max(worstMax, f.max);
    print(c.name, f, seconds, said);
  }
  std::printf("images listed: %d; worst tick lag over the drops: %.1f ms (goal: under 100 ms)\n",
              images ? images->count() : -1, worstMax);

  // The Data view stepping through a dataset of photos.
  window.showView(yolo::ui::MainWindow::kData);
  yolo::ui::DataView* data = window.dataView();
  data->openDataset(file("photos.txt"));
  QElapsedTimer opening;
  opening.start();
  while ((!data->dataset() || data->dataset()->size() != 3) && opening.elapsed() < 60000)
    runFor(0.05);
  yolo::ui::SampleInspector* inspector = data->inspector();
  while (inspector->isOpening() && opening.elapsed() < 60000) runFor(0.05);
  runFor(0.5);  // the thumbnails, made on pool threads
  std::printf("\nData view, a dataset of three %d x %d photos; each selected in turn\n", o.side,
              o.side * 3 / 4);
  std::printf("%-20s %6s %8s %8s %8s %9s\n", "selected", "ticks", "p50", "p99", "max", "shown (s)");
  QListView* grid = data->browser()->grid();
  double worstData = 0;
  for (int row : {1, 2, 0}) {
    probe.start();
    runFor(0.1);
    QElapsedTimer shown;
    shown.start();
    QTimer::singleShot(0, grid, [&] { grid->setCurrentIndex(grid->model()->index(row, 0)); });
    runFor(0.01);
    while ((inspector->shownRow() != row || inspector->isOpening()) && shown.elapsed() < 60000)
      runFor(0.01);
    const double seconds = shown.elapsed() / 1000.0;
    runFor(0.3);
    probe.stop();
    const auto f = probe.figures();
    worstData = std::max(worstData, f.max);
    const std::string name = "row " + std::to_string(row);
    print(name.c_str(), f, seconds, QString());
  }
  std::printf("worst tick lag stepping through the photos: %.1f ms (goal: under 100 ms)\n",
              worstData);
  return 0;
}
