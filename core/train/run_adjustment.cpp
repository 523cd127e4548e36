#include "core/train/run_adjustment.h"

#include <fstream>
#include <stdexcept>
#include <thread>

#include "core/run/checkpoint.h"
#include "core/util/folder_lock.h"

namespace yolo::train {
namespace fs = std::filesystem;

namespace {

// Steps an epoch as the run last logged them (metrics.jsonl's step records); 0 when it
// logged none.
int64_t loggedStepsPerEpoch(const fs::path& runDir) {
  std::ifstream in(runDir / "metrics.jsonl");
  std::string line;
  int64_t stepsPerEpoch = 0;
  while (std::getline(in, line)) {
    if (line.find("\"type\":\"step\"") == std::string::npos) continue;
    const MetricsRecord record = parseMetricsRecord(line);
    if (const auto* m = std::get_if<StepMetrics>(&record)) stepsPerEpoch = m->stepsPerEpoch;
  }
  return stepsPerEpoch;
}

std::string listed(const std::vector<std::string>& problems) {
  std::string all;
  for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
  return all;
}

}  // namespace

RunAdjustment adjustRun(const fs::path& runDir, const run::ScheduleChange& change) {
  if (change.empty()) throw std::runtime_error("nothing to change: give epochs or a rate");
  const fs::path configFile = runDir / "config.json";
  if (!fs::is_regular_file(configFile))
    throw std::runtime_error(runDir.string() + ": not a run folder (no config.json)");
  std::unique_ptr<FolderLock> lock;
  try {
    lock = std::make_unique<FolderLock>(runDir);
  } catch (const std::runtime_error&) {
    // A trainer holds the run: it checks the change against its steps and applies it.
    const run::RunConfig config = run::loadRunConfig(configFile);
    if (const auto problems = run::checkScheduleChange(config, change, 0, 0); !problems.empty())
      throw std::runtime_error(runDir.string() + ": " + listed(problems));
    run::writeScheduleRequest(runDir, change);
    return {RunAdjustment::Kind::kRequested,
            runDir.string() + " is training: asked its trainer to change the plan before its " +
                "next step"};
  }
  const run::RunConfig before = run::loadRunConfig(configFile);
  int64_t stepsDone = 0;
  if (fs::exists(runDir / "last.pt"))
    stepsDone = run::readCheckpointHeader(runDir / "last.pt").state.step;
  const auto problems =
      run::checkScheduleChange(before, change, stepsDone, loggedStepsPerEpoch(runDir));
  if (!problems.empty()) throw std::runtime_error(runDir.string() + ": " + listed(problems));
  const run::RunConfig after = run::withScheduleChange(before, change);
  const std::string what = run::describeScheduleChange(before, after);
  if (what.empty()) return {RunAdjustment::Kind::kApplied, "the plan already is that"};
  run::saveRunConfig(after, configFile);
  return {RunAdjustment::Kind::kApplied,
          what + " in " + configFile.string() + "; `yolo-cli train --resume " + runDir.string() +
              "` continues with it from step " + std::to_string(stepsDone + 1)};
}

bool waitForScheduleRequestTaken(const fs::path& runDir, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    std::error_code ec;
    if (!fs::exists(run::scheduleRequestPath(runDir), ec)) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::optional<LoggedEvent> lastScheduleEvent(const fs::path& runDir) {
  std::ifstream in(runDir / "metrics.jsonl");
  std::string line;
  std::optional<LoggedEvent> last;
  while (std::getline(in, line)) {
    if (line.find("adjust") == std::string::npos) continue;
    const MetricsRecord record = parseMetricsRecord(line);
    if (const auto* e = std::get_if<LoggedEvent>(&record)) {
      if (e->event.event == "schedule_adjusted" || e->event.event == "adjust_refused") last = *e;
    }
  }
  return last;
}

}  // namespace yolo::train
