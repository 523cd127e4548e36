// Adam's update alone: train::FusedAdam against torch::optim::Adam on the parameters of
// YOLOv3 and YOLOv3-tiny (same gradients, same state), medians of repeated steps. Prints
// milliseconds and the ratio; never fails on time.
//   bench_adam [threads=2] [runs=10]

#include <torch/torch.h>

#include <cstdio>
#include <string>

#include "bench/median_time.h"
#include "core/model/model_spec.h"
#include "core/model/yolo_net.h"
#include "core/train/fused_adam.h"
#include "core/util/compute_threads.h"

int main(int argc, char** argv) {
  using namespace yolo;
  const int threads = setComputeThreads(argc > 1 ? std::stoi(argv[1]) : 2);
  const int runs = argc > 2 ? std::stoi(argv[2]) : 10;
  std::printf("Adam step, %d thread(s), median of %d steps after 2 warm-up steps\n", threads, runs);
  std::printf("%-12s %10s %12s %12s %7s\n", "model", "params", "torch ms", "fused ms", "ratio");
  for (const std::string architecture : {"yolov3-tiny", "yolov3"}) {
    auto plainNet = model::createModel(model::makeModelSpec(architecture, 10, 416));
    auto fusedNet = model::createModel(model::makeModelSpec(architecture, 10, 416));
    int64_t count = 0;
    for (auto& p : plainNet->parameters()) {
      p.mutable_grad() = torch::randn_like(p) * 1e-2;
      count += p.numel();
    }
    for (auto& p : fusedNet->parameters()) p.mutable_grad() = torch::randn_like(p) * 1e-2;
    torch::optim::Adam plain(plainNet->parameters(), torch::optim::AdamOptions(1e-3));
    train::FusedAdam fused(fusedNet->parameters(), torch::optim::AdamOptions(1e-3));
    const double plainMs = bench::medianMs(2, runs, [&] { plain.step(); });
    const double fusedMs = bench::medianMs(2, runs, [&] { fused.step(); });
    std::printf("%-12s %9.1fM %12.1f %12.1f %6.2fx\n", architecture.c_str(), count / 1e6, plainMs,
                fusedMs, fusedMs / plainMs);
  }
  std::printf("ratio: fused / torch time (lower is faster).\n");
  return 0;
}
