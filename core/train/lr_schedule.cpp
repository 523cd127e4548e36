#include "core/train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace yolo::train {

double LrSchedule::at(int64_t step) const {
  if (step < warmupSteps) {
    return lrInit * static_cast<double>(step + 1) / static_cast<double>(warmupSteps);
  }
  const double span = static_cast<double>(std::max<int64_t>(1, totalSteps - warmupSteps));
  const double progress = std::clamp(static_cast<double>(step - warmupSteps) / span, 0.0, 1.0);
  return lrEnd + 0.5 * (lrInit - lrEnd) * (1.0 + std::cos(M_PI * progress));
}

}  // namespace yolo::train

namespace yolo::train {

LrSchedule scheduleFor(const run::RunConfig& config, int64_t stepsPerEpoch) {
  LrSchedule s;
  s.lrInit = config.lrInit;
  s.lrEnd = config.lrEnd;
  s.totalSteps = run::plannedSteps(config, stepsPerEpoch);
  s.warmupSteps = std::min<int64_t>(
      s.totalSteps, static_cast<int64_t>(std::llround(config.warmupEpochs * stepsPerEpoch)));
  return s;
}

}  // namespace yolo::train
