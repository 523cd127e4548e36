// The Detect view's first boxes: from choosing a model (DetectView::loadModel, as the model
// list and the Choose button do) to the detections drawn on the shown image, in the real
// widget (offscreen), model loaded and run on its worker thread. The reference is the bare
// core path in the same process: Detector::load with the same set-up plus one detect().
// The first choice in a process is what a user waits for after starting the workbench;
// later choices find oneDNN's kernels already generated. Prints milliseconds and ratios;
// never fails on time.
//   bench_detect_view_load [--model RUN_OR_CHECKPOINT] [--image IMAGE] [--runs 5]
// Without --model it makes an untrained yolov3-tiny-3l checkpoint (the cpu-fast model;
// bench/untrained_checkpoint.h).

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "bench/options.h"
#include "bench/untrained_checkpoint.h"
#include "core/infer/detector.h"
#include "core/run/checkpoint.h"
#include "core/util/process_environment.h"
#include "ui/detect/detect_view.h"

namespace fs = std::filesystem;

namespace {

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "bench_detect_view_load: " << problem
            << "\nusage: bench_detect_view_load [--model RUN_OR_CHECKPOINT] [--image IMAGE] "
               "[--runs 5]\n";
  std::exit(2);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// A copy of the checkpoint per choice, so each one is a model the view has not loaded.
fs::path copyOfCheckpoint(const fs::path& checkpoint, const fs::path& dir, int index) {
  const fs::path copy = dir / ("model-" + std::to_string(index) + ".pt");
  fs::copy_file(checkpoint, copy, fs::copy_options::overwrite_existing);
  return copy;
}

}  // namespace

int main(int argc, char** argv) {
  yolo::keepLargeAllocationsInOneHeap();
  if (std::getenv("QT_QPA_PLATFORM") == nullptr) ::setenv("QT_QPA_PLATFORM", "offscreen", 1);
  std::string model, imagePath;
  int runs = 5;
  yolo::bench::forEachOption(argc, argv, usage, [&](const std::string& arg, const std::string& v) {
    if (arg == "--model")
      model = v;
    else if (arg == "--image")
      imagePath = v;
    else if (arg == "--runs")
      runs = yolo::bench::intOption(arg, v, 2, usage);
    else
      usage("unknown option " + arg);
  });
  QApplication app(argc, argv);
  QTemporaryDir work;
  const fs::path dir = work.path().toStdString();

  fs::path checkpoint;
  if (model.empty()) {
    checkpoint = dir / "untrained.pt";
    yolo::bench::saveUntrainedCheckpoint(checkpoint, "yolov3-tiny-3l");
  } else {
    checkpoint = yolo::run::resolveCheckpoint(model);
  }
  cv::Mat image;
  if (!imagePath.empty()) image = cv::imread(imagePath, cv::IMREAD_COLOR);
  if (image.empty()) {
    if (!imagePath.empty()) usage(imagePath + ": not a readable image");
    image = cv::Mat(480, 640, CV_8UC3);
    cv::randu(image, 0, 255);
  }
  const QImage shown = QImage(image.data, image.cols, image.rows, static_cast<int>(image.step),
                              QImage::Format_BGR888)
                           .copy();

  yolo::ui::DetectView view;
  view.resize(1200, 800);
  view.show();
  view.addImage(QStringLiteral("image"), shown);

  std::vector<double> viewMs;
  for (int run = 0; run < runs; ++run) {
    const fs::path copy = copyOfCheckpoint(checkpoint, dir, run);
    QEventLoop loop;
    const auto shownConnection =
        QObject::connect(&view, &yolo::ui::DetectView::detectionsShown, &loop, [&] {
          if (view.modelReady() && view.settled()) loop.quit();
        });
    QTimer::singleShot(120000, &loop, &QEventLoop::quit);
    QElapsedTimer timer;
    timer.start();
    view.loadModel(QString::fromStdString(copy.string()));
    loop.exec();
    viewMs.push_back(timer.nsecsElapsed() / 1e6);
    QObject::disconnect(shownConnection);
    if (!view.modelReady()) usage("the view did not load " + copy.string() + " within 2 minutes");
  }

  std::vector<double> coreMs;
  for (int run = 0; run < runs; ++run) {
    QElapsedTimer timer;
    timer.start();
    auto detector = yolo::infer::Detector::load(copyOfCheckpoint(checkpoint, dir, run), "cpu", 0,
                                                yolo::infer::DetectorUse::kFewImages);
    detector->detect(image);
    coreMs.push_back(timer.nsecsElapsed() / 1e6);
  }

  const std::vector<double> laterView(viewMs.begin() + 1, viewMs.end());
  std::printf("Detect view, model chosen -> first boxes drawn (%s, %dx%d image, %d runs)\n",
              model.empty() ? "untrained yolov3-tiny-3l" : model.c_str(), image.cols, image.rows,
              runs);
  std::printf("  first choice in the process   %8.0f ms\n", viewMs.front());
  std::printf("  later choices (median)        %8.0f ms\n", median(laterView));
  std::printf("  core: Detector::load + detect %8.0f ms (median)\n", median(coreMs));
  std::printf("  view / core                   %8.2fx\n", median(laterView) / median(coreMs));
  return 0;
}
