#include "ui/plots/smoothing.h"

#include <cmath>

namespace yolo::ui {

double EmaSmoother::push(double value) {
  if (!std::isfinite(value)) return value;
  if (weight_ <= 0.0) return value;
  last_ = last_ * weight_ + (1.0 - weight_) * value;
  debias_ *= weight_;
  any_ = true;
  return last_ / (1.0 - debias_);
}

void EmaSmoother::reset() {
  last_ = 0.0;
  debias_ = 1.0;
  any_ = false;
}

QVector<double> smoothed(const QVector<double>& values, double weight) {
  EmaSmoother ema(weight);
  QVector<double> out;
  out.reserve(values.size());
  for (double v : values) out.push_back(ema.push(v));
  return out;
}

}  // namespace yolo::ui
