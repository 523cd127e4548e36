#pragma once
// Samples the trainer's own learning-rate schedule for drawing the planned curve ahead of
// training, so the plot shows exactly what the trainer will use.

#include <QVector>

#include "core/train/lr_schedule.h"

namespace yolo::ui {

/// Up to about `maxPoints` points (x = 1-based step as in StepMetrics::step, y = the rate
/// that step uses), always including the first step, the end of warm-up and the last step.
void sampleLrCurve(const train::LrSchedule& schedule, QVector<double>& steps,
                   QVector<double>& rates, int maxPoints = 2000);

}  // namespace yolo::ui
