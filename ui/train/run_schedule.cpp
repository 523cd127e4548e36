#include "ui/train/run_schedule.h"

#include <algorithm>
#include <cmath>

namespace yolo::ui {

int64_t plannedSteps(const run::RunConfig& config, int64_t stepsPerEpoch) {
  int64_t planned = stepsPerEpoch * config.epochs;
  if (config.maxSteps > 0) planned = std::min(planned, config.maxSteps);
  return planned;
}

train::LrSchedule scheduleFor(const run::RunConfig& config, int64_t stepsPerEpoch,
                              int64_t totalSteps) {
  train::LrSchedule s;
  s.lrInit = config.lrInit;
  s.lrEnd = config.lrEnd;
  s.totalSteps = totalSteps > 0 ? totalSteps : plannedSteps(config, stepsPerEpoch);
  s.warmupSteps = std::min<int64_t>(
      s.totalSteps, static_cast<int64_t>(std::llround(config.warmupEpochs * stepsPerEpoch)));
  return s;
}

}  // namespace yolo::ui
