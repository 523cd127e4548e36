#pragma once
// The tutorial's learning-rate schedule: linear warm-up, then cosine decay; and the
// schedule of a run, built from its config the one way the trainer and the GUI both use.

#include <cstdint>

#include "core/run/run_config.h"

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

/// The schedule of a run with `stepsPerEpoch` batches an epoch: lr_init, lr_end, warm-up
/// over warmup_epochs (at most the whole run), run::plannedSteps in all. A function of the
/// config alone, so a run whose epochs or rates change mid-way (run/schedule_change.h)
/// follows the new plan from the next step, and a resumed run follows it as well.
LrSchedule scheduleFor(const run::RunConfig& config, int64_t stepsPerEpoch);

}  // namespace yolo::train
