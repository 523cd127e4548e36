// Detector latency: full detect() (letterbox, network, decode, NMS) against the bare
// network forward pass on the same input, refilter() alone, and detect() on a worker thread
// (as the Detect view and the Draw canvas run it) against detect() on the main thread.
// Prints milliseconds and ratios; never fails on time.
//   bench_detector [architecture=yolov3-tiny] [inputSize=416] [threads=2] [runs=20]
//                  [init=tutorial|kaiming] [heap=one|default]
// heap=one (what yolo-cli and yolo-workbench do first in main()): every thread allocates
// from glibc's main arena (keepLargeAllocationsInOneHeap); heap=default leaves glibc's
// per-thread arenas, to compare.

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <opencv2/core.hpp>

#include "bench/median_time.h"
#include "core/infer/detector.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/util/process_environment.h"

using yolo::bench::medianMs;

int main(int argc, char** argv) {
  using namespace yolo;
  const std::string architecture = argc > 1 ? argv[1] : "yolov3-tiny";
  const int inputSize = argc > 2 ? std::stoi(argv[2]) : 416;
  const int threads = argc > 3 ? std::stoi(argv[3]) : 2;
  const int runs = argc > 4 ? std::stoi(argv[4]) : 20;
  // Weight init: the trainer's "tutorial" (N(0, 0.01)) or "kaiming"; timings should not
  // depend on it, which this option lets one check.
  const std::string init = argc > 5 ? argv[5] : "tutorial";
  const std::string heap = argc > 6 ? argv[6] : "one";
  if (heap == "one") keepLargeAllocationsInOneHeap();

  const auto dir = std::filesystem::temp_directory_path() / "yolo-bench-detector";
  std::filesystem::create_directories(dir);
  run::CheckpointHeader header;
  header.config.model = model::makeModelSpec(architecture, 10, inputSize);
  header.config.model.init = init;
  auto net = model::createModel(header.config.model);
  run::saveCheckpoint(dir / "last.pt", header, *net, nullptr);

  auto detector = infer::Detector::load(dir, "cpu", threads);
  cv::Mat image(480, 640, CV_8UC3);
  cv::randu(image, 0, 255);
  infer::DetectOptions options;

  net->eval();
  const auto input = torch::rand({1, 3, inputSize, inputSize});
  {
    torch::InferenceMode guard;
    net->forward(input);  // warm-up, as Detector::load does
  }
  const double forward = medianMs(/*warmup=*/0, runs, [&] {
    torch::InferenceMode guard;
    net->forward(input);
  });
  size_t boxes = 0;
  const double detect =
      medianMs(/*warmup=*/0, runs, [&] { boxes = detector->detect(image, options).size(); });
  const double refilter = medianMs(/*warmup=*/0, runs, [&] { detector->refilter(options); });
  double onWorker = 0;
  std::thread worker([&] {
    detector->detect(image, options);  // the thread's first allocations
    onWorker =
        medianMs(/*warmup=*/0, runs, [&] { boxes = detector->detect(image, options).size(); });
  });
  worker.join();

  std::printf("%s@%d (%s init), %d threads, 640x480 image, median of %d runs, heap=%s\n",
              architecture.c_str(), inputSize, init.c_str(), threads, runs, heap.c_str());
  std::printf("  network forward   %8.2f ms  (reference)\n", forward);
  std::printf("  detect()          %8.2f ms  %.2fx the forward pass, %zu boxes\n", detect,
              detect / forward, boxes);
  std::printf("  refilter()        %8.2f ms  %.3fx the forward pass\n", refilter,
              refilter / forward);
  std::printf("  detect() on a worker thread %8.2f ms  %.2fx detect() on the main thread\n",
              onWorker, onWorker / detect);
  std::filesystem::remove_all(dir);
  return 0;
}
