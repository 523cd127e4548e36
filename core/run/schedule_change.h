#pragma once
// A change to a run's plan: its number of epochs and its peak and final learning rates
// (RunConfig::epochs, lrInit, lrEnd), made while it trains or between sessions. The
// schedule is a function of the config and the step (train::scheduleFor), so a changed
// config.json is the whole change: the run follows the new plan from its next step, and a
// resumed run follows it too.
//
// Another process asks a training run for a change through a request file in the run
// folder (RUN_DIR/adjust.json), which the trainer takes before each step and while paused.
// Torch-free.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/run/run_config.h"

namespace yolo::run {

struct ScheduleChange {
  std::optional<int> epochs;
  std::optional<double> lrInit;  ///< the peak rate, reached at the end of warm-up
  std::optional<double> lrEnd;   ///< the rate the cosine decay ends at
  bool empty() const { return !epochs && !lrInit && !lrEnd; }
};

/// `config` with the change applied.
RunConfig withScheduleChange(RunConfig config, const ScheduleChange& change);

/// What keeps the change from applying to a run of `config` that has done `stepsDone`
/// steps of `stepsPerEpoch` each epoch; empty when it applies. Each message names the
/// setting: epochs past warm-up and leaving steps to run (planned steps past stepsDone;
/// not checked when stepsPerEpoch is unknown, <= 0), finite rates with
/// 0 <= lr_end <= lr_init and lr_init > 0.
std::vector<std::string> checkScheduleChange(const RunConfig& config, const ScheduleChange& change,
                                             int64_t stepsDone, int64_t stepsPerEpoch);

/// "epochs 30 -> 40, lr_init 0.001 -> 0.0005": the settings that differ; empty when none.
std::string describeScheduleChange(const RunConfig& before, const RunConfig& after);

/// RUN_DIR/adjust.json, the request a training run takes before its next step.
std::filesystem::path scheduleRequestPath(const std::filesystem::path& runDir);

/// Leaves `change` for the run in `runDir` to take, atomically, merged over a request
/// still waiting there (the later value of a setting wins). Throws std::runtime_error
/// naming the file when it cannot be written.
void writeScheduleRequest(const std::filesystem::path& runDir, const ScheduleChange& change);

/// Takes the waiting request of `runDir` (removing the file); nullopt when there is none.
/// A request that is not valid JSON of the three settings is removed too (so it is not
/// retried before every step) and throws std::runtime_error naming the file and the fault.
std::optional<ScheduleChange> takeScheduleRequest(const std::filesystem::path& runDir);

}  // namespace yolo::run
