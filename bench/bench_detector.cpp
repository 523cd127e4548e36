// Detector latency: full detect() (letterbox, network, decode, NMS) against the bare
// network forward pass on the same input, and refilter() alone. Prints milliseconds and
// ratios; never fails on time.
//   bench_detector [architecture=yolov3-tiny] [inputSize=416] [threads=2] [runs=20]
//                  [init=tutorial|kaiming]

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "bench/median_time.h"
#include "core/infer/detector.h"
#include "core/model/yolo_net.h"
#include "core/train/checkpoint.h"

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

  const auto dir = std::filesystem::temp_directory_path() / "yolo-bench-detector";
  std::filesystem::create_directories(dir);
  train::CheckpointHeader header;
  header.config.model = model::makeModelSpec(architecture, 10, inputSize);
  header.config.model.init = init;
  auto net = model::createModel(header.config.model);
  train::saveCheckpoint(dir / "last.pt", header, *net, nullptr);

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

  std::printf("%s@%d (%s init), %d threads, 640x480 image, median of %d runs\n",
              architecture.c_str(), inputSize, init.c_str(), threads, runs);
  std::printf("  network forward   %8.2f ms  (reference)\n", forward);
  std::printf("  detect()          %8.2f ms  %.2fx the forward pass, %zu boxes\n", detect,
              detect / forward, boxes);
  std::printf("  refilter()        %8.2f ms  %.3fx the forward pass\n", refilter,
              refilter / forward);
  std::filesystem::remove_all(dir);
  return 0;
}
