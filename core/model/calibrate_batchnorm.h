#pragma once
// Realistic BatchNorm statistics for a network that was never trained (benchmarks, tests,
// export checks): a freshly built network has running mean 0 and variance 1, so its eval-mode
// activations grow or vanish layer by layer and every score saturates.

#include <torch/torch.h>

#include "core/model/yolo_net.h"

namespace yolo::model {

/// Sets every BatchNorm's running mean and variance to the batch statistics of its input on
/// `images` ([B, 3, H, W] float RGB 0..1), layer after layer (one train-mode forward with
/// momentum 1), then draws gamma from U(0.5, 1.5) and beta from N(0, 0.1) so that folding has
/// something to fold. Leaves `net` in eval mode with the BatchNorms' momentum restored.
void calibrateBatchNorm(YoloNetImpl& net, const torch::Tensor& images);

}  // namespace yolo::model
