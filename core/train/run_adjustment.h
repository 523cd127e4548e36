#pragma once
// Changing the plan of a run folder, whether a trainer is training it or not: what
// `yolo-cli train --adjust` and the workbench's "Change plan" do (run/schedule_change.h).

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include "core/run/schedule_change.h"
#include "core/train/metrics_records.h"

namespace yolo::train {

struct RunAdjustment {
  enum class Kind {
    kApplied,    ///< no process trains the run: config.json changed; --resume follows it
    kRequested,  ///< a trainer holds the run: it takes the request before its next step
  };
  Kind kind = Kind::kApplied;
  std::string message;  ///< for the user: what changed, or who was asked
};

/// Changes the plan of the run in `runDir`. When no process trains it (its folder lock is
/// free), config.json is changed at once, atomically, after checking the change against
/// the steps last.pt has done (the next resume logs it as a "schedule_adjusted" event).
/// When a trainer holds it, the change is left as a request that the trainer checks
/// against the steps done and applies before its next step (or refuses, with an
/// "adjust_refused" event). Throws std::runtime_error naming the folder or file when the
/// change cannot apply (each problem listed) or the run cannot be read or written.
RunAdjustment adjustRun(const std::filesystem::path& runDir, const run::ScheduleChange& change);

/// Waits up to `timeout` for the trainer to take the request in `runDir`; false when it
/// is still waiting (a run busy with a long step or an evaluation).
bool waitForScheduleRequestTaken(const std::filesystem::path& runDir,
                                 std::chrono::milliseconds timeout);

/// The last "schedule_adjusted" or "adjust_refused" event of the run's metrics.jsonl.
std::optional<LoggedEvent> lastScheduleEvent(const std::filesystem::path& runDir);

}  // namespace yolo::train
