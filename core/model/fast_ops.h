#pragma once
// CPU kernels for the layers that sit between the convolutions of a training step: the
// 2x2 max-pools and BatchNorm(training) + LeakyReLU. libtorch's versions make more passes
// over memory than needed (int64 pool indices, BatchNorm statistics summed one element at a
// time in double, a separate activation tensor); these give the same values and gradients
// with fewer. Each falls back to the plain libtorch ops for anything but a CPU float32
// contiguous [B, C, H, W] tensor.

#include <torch/torch.h>

namespace yolo::model {

/// torch::max_pool2d(x, /*kernel=*/2, /*stride=*/2) (floor mode), autograd included:
/// identical values and identical gradients (the gradient goes to the first maximum of each
/// window in row-major order, or to the last NaN, as libtorch's kernel picks it).
/// [B, C, H, W] -> [B, C, H / 2, W / 2].
torch::Tensor maxPool2x2(const torch::Tensor& x);

/// Darknet's [maxpool] size=2 stride=1: out[y][x] is the maximum over rows y, min(y + 1,
/// H - 1) and columns x, min(x + 1, W - 1), i.e. max_pool2d(kernel 2, stride 1) after
/// replicating the last row and column. Same values, and gradients equal up to the order of
/// float additions at the replicated edge, as that pad + max_pool2d. [B, C, H, W] -> same.
torch::Tensor maxPool2x2Stride1Replicate(const torch::Tensor& x);

/// leaky_relu(batch_norm(x, weight, bias, runningMean, runningVar, /*training=*/true,
/// momentum, eps), slope) in one autograd node: batch statistics over B, H, W per channel;
/// runningMean and runningVar ([C], float32) updated in place as torch::batch_norm does
/// (new = (1 - momentum) * old + momentum * batch, unbiased batch variance). weight and bias
/// ([C]) get gradients when they require them. Needs slope > 0. x: [B, C, H, W].
torch::Tensor batchNormLeakyTraining(const torch::Tensor& x, const torch::Tensor& weight,
                                     const torch::Tensor& bias, torch::Tensor runningMean,
                                     torch::Tensor runningVar, double momentum, double eps,
                                     double slope);

}  // namespace yolo::model
