#pragma once
// An exponential moving average of a network's weights, evaluated and shipped instead of the
// live weights. Adam at a high learning rate makes the live weights jitter from step to step
// (mAP@0.5 moving by +-0.1 between epochs); the average follows the trend without the jitter.

#include <cstdint>
#include <memory>

#include <torch/torch.h>

#include "core/model/yolo_net.h"

namespace yolo::train {

class WeightAverage {
 public:
  /// Starts as a copy of `live` (same spec, device and values). `decay` in (0, 1).
  WeightAverage(const model::YoloNetImpl& live, double decay);

  /// Decay used at the given number of updates: min(decay, (1 + n) / (10 + n)), TensorFlow's
  /// ExponentialMovingAverage rule, so the first updates follow the live weights closely
  /// instead of remembering the random initialisation.
  double decayAt(int64_t updates) const;

  /// average = d * average + (1 - d) * live for every parameter and floating-point buffer
  /// (BatchNorm running statistics too); integer buffers are copied. `updates` counts the
  /// optimizer steps done, including this one.
  void update(const model::YoloNetImpl& live, int64_t updates);

  /// Makes the average equal to `live` again (a rollback or re-initialisation).
  void reset(const model::YoloNetImpl& live);

  /// The averaged network, in eval mode; it is never trained directly.
  model::YoloNetImpl& net() { return *net_; }
  double decay() const { return decay_; }

 private:
  std::shared_ptr<model::YoloNetImpl> net_;
  double decay_;
};

}  // namespace yolo::train
