#include "ui/plots/lr_curve.h"

#include <algorithm>

namespace yolo::ui {

void sampleLrCurve(const train::LrSchedule& schedule, QVector<double>& steps,
                   QVector<double>& rates, int maxPoints) {
  steps.clear();
  rates.clear();
  const int64_t total = schedule.totalSteps;
  if (total <= 0) return;
  // StepMetrics::step is 1-based and at() takes the 0-based index of the step about to run.
  auto add = [&](int64_t step) {
    steps.push_back(static_cast<double>(step));
    rates.push_back(schedule.at(step - 1));
  };
  const int64_t stride = std::max<int64_t>(1, total / std::max(2, maxPoints));
  const int64_t warmEnd = std::clamp<int64_t>(schedule.warmupSteps, 1, total);
  for (int64_t s = 1; s <= total; s += stride) {
    // The warm-up peak is where the eye looks: never stride over it.
    if (s > warmEnd && (steps.isEmpty() || steps.back() < warmEnd)) add(warmEnd);
    add(s);
  }
  if (steps.back() < static_cast<double>(total)) add(total);
}

}  // namespace yolo::ui
