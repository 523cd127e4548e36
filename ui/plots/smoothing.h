#pragma once
// Exponential moving average as TensorBoard draws it: debiased, so the first points are
// not pulled towards zero. Incremental, so a plot with tens of thousands of points only
// smooths what arrived since the last redraw.

#include <QVector>

namespace yolo::ui {

class EmaSmoother {
 public:
  /// weight in [0, 1): 0 = raw values, 0.99 = very smooth.
  explicit EmaSmoother(double weight = 0.0) : weight_(weight) {}

  double weight() const { return weight_; }
  /// Next smoothed value; non-finite inputs pass through and do not disturb the average.
  double push(double value);
  void reset();

 private:
  double weight_ = 0.0;
  double last_ = 0.0;
  double debias_ = 1.0;  // weight^n: how much of `last_` is the zero it started from
  bool any_ = false;
};

/// Smooths a whole series (used by exports and tests).
QVector<double> smoothed(const QVector<double>& values, double weight);

}  // namespace yolo::ui
