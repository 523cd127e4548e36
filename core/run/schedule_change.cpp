#include "core/run/schedule_change.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"
#include "core/util/json_numbers.h"

namespace yolo::run {
namespace fs = std::filesystem;

namespace {

std::string number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

nlohmann::json toJson(const ScheduleChange& change) {
  nlohmann::json j = nlohmann::json::object();
  if (change.epochs) j["epochs"] = *change.epochs;
  if (change.lrInit) j["lr_init"] = *change.lrInit;
  if (change.lrEnd) j["lr_end"] = *change.lrEnd;
  return j;
}

// Throws std::exception saying which key is wrong.
ScheduleChange fromJson(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error("not a JSON object");
  ScheduleChange change;
  for (const auto& [key, value] : j.items()) {
    if (key == "epochs" && value.is_number_integer()) {
      const auto epochs = value.get<int64_t>();
      if (epochs < 1 || epochs > 1000000)
        throw std::runtime_error("epochs must be in [1, 1000000]");
      change.epochs = static_cast<int>(epochs);
    } else if ((key == "lr_init" || key == "lr_end") && value.is_number()) {
      (key == "lr_init" ? change.lrInit : change.lrEnd) = value.get<double>();
    } else {
      throw std::runtime_error("\"" + key + "\" is not one of epochs (an integer), lr_init, " +
                               "lr_end (numbers)");
    }
  }
  return change;
}

std::optional<ScheduleChange> readRequest(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  const nlohmann::json j = nlohmann::json::parse(in, keepFloatsInIntRange);
  return fromJson(j);
}

}  // namespace

RunConfig withScheduleChange(RunConfig config, const ScheduleChange& change) {
  if (change.epochs) config.epochs = *change.epochs;
  if (change.lrInit) config.lrInit = *change.lrInit;
  if (change.lrEnd) config.lrEnd = *change.lrEnd;
  return config;
}

std::vector<std::string> checkScheduleChange(const RunConfig& config, const ScheduleChange& change,
                                             int64_t stepsDone, int64_t stepsPerEpoch) {
  const RunConfig after = withScheduleChange(config, change);
  std::vector<std::string> problems;
  if (change.epochs) {
    if (after.epochs <= after.warmupEpochs) {
      problems.push_back("epochs must be more than the " + number(after.warmupEpochs) +
                         " warm-up epochs");
    } else if (stepsPerEpoch > 0 && plannedSteps(after, stepsPerEpoch) <= stepsDone) {
      const int64_t doneEpochs = stepsPerEpoch > 0 ? stepsDone / stepsPerEpoch : 0;
      problems.push_back("epochs " + std::to_string(after.epochs) +
                         " leaves nothing to train: the run has done " + std::to_string(stepsDone) +
                         " steps (" + std::to_string(doneEpochs) + " epochs of " +
                         std::to_string(stepsPerEpoch) + " steps)" +
                         (after.maxSteps > 0 && after.maxSteps <= stepsDone
                              ? " and max_steps is " + std::to_string(after.maxSteps)
                              : ""));
    }
  }
  if (!(after.lrInit > 0) || !std::isfinite(after.lrInit))
    problems.push_back("lr_init must be > 0 (it is " + number(after.lrInit) + ")");
  if (!(after.lrEnd >= 0) || !std::isfinite(after.lrEnd) || after.lrEnd > after.lrInit) {
    problems.push_back("lr_end must be in [0, lr_init] (it is " + number(after.lrEnd) +
                       ", lr_init " + number(after.lrInit) + ")");
  }
  return problems;
}

std::string describeScheduleChange(const RunConfig& before, const RunConfig& after) {
  std::string text;
  const auto add = [&](const std::string& name, const std::string& from, const std::string& to) {
    if (from == to) return;
    text += (text.empty() ? "" : ", ") + name + " " + from + " -> " + to;
  };
  add("epochs", std::to_string(before.epochs), std::to_string(after.epochs));
  add("lr_init", number(before.lrInit), number(after.lrInit));
  add("lr_end", number(before.lrEnd), number(after.lrEnd));
  return text;
}

fs::path scheduleRequestPath(const fs::path& runDir) { return runDir / "adjust.json"; }

void writeScheduleRequest(const fs::path& runDir, const ScheduleChange& change) {
  const fs::path file = scheduleRequestPath(runDir);
  ScheduleChange merged = change;
  try {
    if (const auto waiting = readRequest(file)) {
      if (!merged.epochs) merged.epochs = waiting->epochs;
      if (!merged.lrInit) merged.lrInit = waiting->lrInit;
      if (!merged.lrEnd) merged.lrEnd = waiting->lrEnd;
    }
  } catch (const std::exception&) {
    // A waiting request that cannot be read is replaced by this one.
  }
  writeTextAtomically(file, toJson(merged).dump() + "\n");
}

std::optional<ScheduleChange> takeScheduleRequest(const fs::path& runDir) {
  const fs::path file = scheduleRequestPath(runDir);
  std::error_code ec;
  if (!fs::exists(file, ec)) return std::nullopt;
  // Renamed before it is read: a request written meanwhile lands as a new file, taken next.
  const fs::path taken = runDir / ".adjust.json.taken";
  fs::rename(file, taken, ec);
  if (ec) return std::nullopt;
  std::optional<ScheduleChange> change;
  std::string fault;
  try {
    change = readRequest(taken);
  } catch (const std::exception& e) {
    fault = e.what();
  }
  fs::remove(taken, ec);
  if (!fault.empty()) throw std::runtime_error(file.string() + ": " + fault);
  return change;
}

}  // namespace yolo::run
