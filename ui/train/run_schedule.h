#pragma once
// The learning-rate schedule a run follows, rebuilt from its config the way the trainer
// builds it (so the GUI can draw it ahead, even for a run followed from its files).

#include <cstdint>

#include "core/run/run_config.h"
#include "core/train/lr_schedule.h"

namespace yolo::ui {

/// Planned steps: stepsPerEpoch * epochs, capped by maxSteps when set.
int64_t plannedSteps(const run::RunConfig& config, int64_t stepsPerEpoch);

/// The schedule of a run with `stepsPerEpoch`; `totalSteps` overrides the planned count
/// when the trainer reported it (> 0).
train::LrSchedule scheduleFor(const run::RunConfig& config, int64_t stepsPerEpoch,
                              int64_t totalSteps = 0);

}  // namespace yolo::ui
