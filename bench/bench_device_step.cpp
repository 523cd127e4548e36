// One training step (forward, YOLO loss, backward, Adam) on an accelerator against the same
// step on the CPU: two nets with the same initial weights, the same batch of random images
// and boxes. Checks that the device computes what the CPU computes (raw outputs, losses and
// the weights after a step) and times the step there, with the tutorial's time per epoch.
// Without CUDA in this libtorch it says so and times the CPU step alone; --device cpu
// compares two CPU nets (all differences 0), a check of the program itself.
//   bench_device_step [--model yolov3|yolov3-tiny] [--size 416] [--batch 4] [--steps 20]
//                     [--device cuda:0] [--threads 2]
// The comparison turns TF32 off; the timing runs with libtorch's defaults. Exit status 1 when
// the device disagrees with the CPU beyond the printed tolerances or a loss is not finite.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "bench/options.h"
#include "core/data/batch_loader.h"
#include "core/model/yolo_net.h"
#include "core/run/run_config.h"
#include "core/train/fused_adam.h"
#include "core/train/training_step.h"
#include "core/util/compute_threads.h"

namespace {

using yolo::run::RunConfig;

struct Options {
  std::string model = "yolov3";
  int size = 416;
  int batch = 4;
  int steps = 20;
  std::string device = "cuda:0";
  int threads = 2;
};

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "bench_device_step: " << problem
            << "\nusage: bench_device_step [--model yolov3|yolov3-tiny] [--size N] [--batch N]"
               " [--steps N] [--device cuda:N] [--threads N]\n";
  std::exit(2);
}

Options parseOptions(int argc, char** argv) {
  Options o;
  yolo::bench::forEachOption(
      argc, argv, usage, [&](const std::string& arg, const std::string& value) {
        auto number = [&](int min) { return yolo::bench::intOption(arg, value, min, usage); };
        if (arg == "--model") {
          if (value != "yolov3" && value != "yolov3-tiny") usage("unknown model '" + value + "'");
          o.model = value;
        } else if (arg == "--size") {
          o.size = number(32);
        } else if (arg == "--batch") {
          o.batch = number(1);
        } else if (arg == "--steps") {
          o.steps = number(1);
        } else if (arg == "--device") {
          o.device = value;
        } else if (arg == "--threads") {
          o.threads = number(1);
        } else {
          usage("unknown option " + arg);
        }
      });
  return o;
}

// Random images and 2..8 digit-sized boxes per image, labelled as the trainer's loader does.
yolo::data::Batch randomBatch(const yolo::model::YoloNetImpl& net, const RunConfig& config,
                              int batchSize) {
  yolo::data::Batch batch;
  const int size = config.model.inputSize;
  batch.images = torch::rand({batchSize, 3, size, size});
  for (int i = 0; i < batchSize; ++i) {
    const int64_t count = torch::randint(2, 9, {1}).item<int64_t>();
    auto side = torch::randint(size / 30, size / 4, {count, 1}).to(torch::kFloat);
    auto x1 = torch::rand({count, 1}) * (size - side);
    auto y1 = torch::rand({count, 1}) * (size - side);
    auto cls = torch::randint(0, config.model.numClasses, {count, 1}).to(torch::kFloat);
    batch.boxes.push_back(torch::cat({x1, y1, x1 + side, y1 + side, cls}, 1));
  }
  yolo::train::makeTargetCollate(net, config)(batch);
  return batch;
}

// Largest |a - b| relative to the largest |a|, over matching tensors.
double relativeDifference(const std::vector<torch::Tensor>& a,
                          const std::vector<torch::Tensor>& b) {
  double diff = 0, scale = 1e-12;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = a[i].detach().to(torch::kCPU).to(torch::kDouble);
    const auto y = b[i].detach().to(torch::kCPU).to(torch::kDouble);
    diff = std::max(diff, (x - y).abs().max().item<double>());
    scale = std::max(scale, x.abs().max().item<double>());
  }
  return diff / scale;
}

std::vector<torch::Tensor> parametersOf(yolo::model::YoloNetImpl& net) {
  std::vector<torch::Tensor> out;
  for (const auto& p : net.parameters()) out.push_back(p.detach().clone());
  return out;
}

struct Side {
  std::shared_ptr<yolo::model::YoloNetImpl> net;
  std::unique_ptr<yolo::train::FusedAdam> optimizer;
  torch::Device device;
};

Side makeSide(const RunConfig& config, torch::Device device) {
  torch::manual_seed(config.seed);  // both sides start from the same weights
  Side side{yolo::model::createModel(config.model), nullptr, device};
  side.net->to(device);
  side.optimizer = std::make_unique<yolo::train::FusedAdam>(
      side.net->parameters(), torch::optim::AdamOptions(config.lrInit));
  return side;
}

double stepSeconds(Side& side, const yolo::data::Batch& batch, const RunConfig& config, int steps) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < steps; ++i) {
    // trainStep reads the loss back to the host, which waits for the device's work.
    if (!yolo::train::trainStep(*side.net, *side.optimizer, batch, config, side.device))
      throw std::runtime_error("a timed step was not finite");
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / steps;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parseOptions(argc, argv);
  yolo::setComputeThreads(o.threads);
  RunConfig config = yolo::run::preset(o.model == "yolov3" ? "tutorial" : "cpu-fast");
  config.model.inputSize = o.size;
  config.lrInit = 1e-4;

  const bool haveCuda = torch::cuda::is_available();
  const std::string cudaDevices =
      haveCuda ? std::to_string(torch::cuda::device_count()) + " device(s)" : "not available";
  std::printf("libtorch %s, CUDA %s, %d CPU threads\n", TORCH_VERSION, cudaDevices.c_str(),
              o.threads);
  torch::manual_seed(1);
  Side cpu = makeSide(config, torch::kCPU);
  const auto batch = randomBatch(*cpu.net, config, o.batch);

  // --device cpu compares two CPU nets: a check of this program itself.
  const bool compare = haveCuda || o.device == "cpu";
  bool agree = true;
  if (compare) {
    Side gpu = makeSide(config, torch::Device(o.device));
    // The comparison runs in full float32: TF32 convolutions (the default on Ampere and
    // later) round inputs to 10 mantissa bits, ~3e-2 apart after YOLOv3's 75 layers.
    auto& context = at::globalContext();
    const bool cudnnTf32 = context.allowTF32CuDNN(), cublasTf32 = context.allowTF32CuBLAS();
    context.setAllowTF32CuDNN(false);
    context.setAllowTF32CuBLAS(false);
    // Raw outputs in training mode (batch statistics), as the loss sees them.
    const auto cpuRaw = cpu.net->forward(batch.images);
    const auto gpuRaw = gpu.net->forward(batch.images.to(gpu.device));
    const double rawDiff = relativeDifference(cpuRaw, gpuRaw);
    const auto cpuLoss =
        yolo::train::trainStep(*cpu.net, *cpu.optimizer, batch, config, cpu.device);
    const auto gpuLoss =
        yolo::train::trainStep(*gpu.net, *gpu.optimizer, batch, config, gpu.device);
    if (!cpuLoss || !gpuLoss) {
      std::printf("FAIL: first step not finite (cpu %s, device %s)\n", cpuLoss ? "ok" : "NaN",
                  gpuLoss ? "ok" : "NaN");
      return 1;
    }
    const double lossDiff = std::abs(cpuLoss->total - gpuLoss->total) / std::abs(cpuLoss->total);
    const double weightDiff = relativeDifference(parametersOf(*cpu.net), parametersOf(*gpu.net));
    constexpr double kRawTolerance = 1e-3, kLossTolerance = 1e-4, kWeightTolerance = 1e-3;
    std::printf(
        "%s %d b%d: raw outputs rel diff %.2e (tol %.0e), loss cpu %.4f device %.4f "
        "(rel %.2e, tol %.0e), weights after one Adam step rel diff %.2e (tol %.0e)\n",
        o.model.c_str(), o.size, o.batch, rawDiff, kRawTolerance, cpuLoss->total, gpuLoss->total,
        lossDiff, kLossTolerance, weightDiff, kWeightTolerance);
    agree = rawDiff < kRawTolerance && lossDiff < kLossTolerance && weightDiff < kWeightTolerance;

    context.setAllowTF32CuDNN(cudnnTf32);  // timed as training runs
    context.setAllowTF32CuBLAS(cublasTf32);
    stepSeconds(gpu, batch, config, 3);  // cuDNN picks its algorithms, the allocator warms up
    const double seconds = stepSeconds(gpu, batch, config, o.steps);
    std::printf(
        "%s: %.1f ms/step, %.1f img/s; a 1,000-image epoch %.1f s, the tutorial's 100 "
        "epochs %.1f min\n",
        o.device.c_str(), 1e3 * seconds, o.batch / seconds, 1000.0 / o.batch * seconds,
        100 * 1000.0 / o.batch * seconds / 60);
  }
  stepSeconds(cpu, batch, config, 1);
  const double cpuSeconds = stepSeconds(cpu, batch, config, std::min(o.steps, 3));
  std::printf("cpu (%d threads): %.1f ms/step, %.2f img/s\n", o.threads, 1e3 * cpuSeconds,
              o.batch / cpuSeconds);
  if (!compare)
    std::printf("no CUDA in this libtorch: nothing to compare the CPU step with\n");
  else
    std::printf("%s\n", agree ? "device agrees with the CPU" : "FAIL: device differs from the CPU");
  return agree ? 0 : 1;
}
