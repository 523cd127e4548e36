#pragma once
// A 3x3, stride-1, pad-1 convolution without bias for CPU training, forward and backward by
// Winograd's F(4x4, 3x3) (core/util/winograd_transforms.h): the convolution, its input
// gradient and its weight gradient are each 36 batched matrix multiplies over the
// transformed tiles, 4x fewer multiplies than libtorch's direct convolutions. Why: most of a
// training step on the CPU is 3x3 convolutions, which libtorch 1.13 runs as direct oneDNN
// convolutions near the FMA peak, so fewer multiplies is what is left to win. Measured
// (bench_train, YOLOv3 at 416, batch 2, 2 threads): 0.43-0.49 images/s against 0.37-0.38
// with direct convolutions. The matrix products run on oneDNN's matmul where the build has it
// (with torch::bmm, i.e. OpenBLAS beside OpenMP, there was no gain).

#include <torch/torch.h>

namespace yolo::model {

/// Whether ConvBlocks run their 3x3 stride-1 convs through winogradConv3x3 where it applies:
/// yes where the build has oneDNN's matmul (Debian's libtorch), unless the environment sets
/// YOLO_WINOGRAD=0 (read once; an escape hatch and a way to measure the difference).
bool winogradConvsEnabled();

/// Whether winogradConv3x3 takes this pair: float CPU tensors, input [N, C, H, W] and
/// weight [O, C, 3, 3] with C and O multiples of 8, on a CPU with AVX2 and FMA, CPU autocast
/// off (model/cpu_autocast.h).
bool winogradConvApplies(const torch::Tensor& input, const torch::Tensor& weight);

/// Whether it is worth it for this input [N, C, H, W]: at least 128 4x4 output tiles over
/// the batch.
bool winogradConvPays(const torch::Tensor& input);

/// torch::conv2d(input, weight, {}, 1, 1), with gradients for both, equal up to float
/// rounding (about 1e-5 relative). Throws std::invalid_argument where it does not apply.
torch::Tensor winogradConv3x3(const torch::Tensor& input, const torch::Tensor& weight);

}  // namespace yolo::model
