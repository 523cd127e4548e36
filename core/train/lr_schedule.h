#pragma once
// The tutorial's learning-rate schedule: linear warm-up, then cosine decay.

#include <cstdint>

namespace yolo::train {

struct LrSchedule {
  double lrInit = 1e-4;
  double lrEnd = 1e-6;
  int64_t warmupSteps = 0;
  int64_t totalSteps = 1;

  /// Rate for the step about to run, `step` counted from 0. Warm-up: lrInit * (step+1) /
  /// warmupSteps, so the very first step already uses a scheduled rate (not Adam's default);
  /// then lrEnd + 0.5 (lrInit - lrEnd)(1 + cos(pi (step - warmup) / (total - warmup))).
  double at(int64_t step) const;
};

}  // namespace yolo::train
