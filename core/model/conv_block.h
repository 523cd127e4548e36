#pragma once
// Darknet's [convolutional] layer: Conv2d (+ BatchNorm) (+ LeakyReLU 0.1).

#include <torch/torch.h>

namespace yolo::model {

struct ConvBlockOptions {
  ConvBlockOptions(int64_t in_channels, int64_t out_channels, int64_t kernel_size,
                   int64_t stride = 1)
      : in_channels_(in_channels),
        out_channels_(out_channels),
        kernel_size_(kernel_size),
        stride_(stride) {}

  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(int64_t, kernel_size);
  TORCH_ARG(int64_t, stride) = 1;
  /// BatchNorm after the conv; the conv then has no bias (Darknet's batch_normalize=1).
  TORCH_ARG(bool, batch_norm) = true;
  /// LeakyReLU(0.1) last; false means Darknet's activation=linear.
  TORCH_ARG(bool, leaky) = true;
  /// Darknet divides by sqrt(var + .000001f) and OpenCV's Darknet importer sets eps 1e-6, so
  /// 1e-6 (not PyTorch's 1e-5) keeps outputs equal to OpenCV DNN once Darknet weights load.
  TORCH_ARG(double, bn_eps) = 1e-6;
  /// PyTorch convention (new = (1 - m) * old + m * batch); Darknet's rolling update is 0.01.
  TORCH_ARG(double, bn_momentum) = 0.1;
};

/// Darknet's output conv of a YOLO head: 1x1, with bias, no BatchNorm, linear activation.
inline ConvBlockOptions outputConvOptions(int64_t in_channels, int64_t out_channels) {
  return ConvBlockOptions(in_channels, out_channels, 1).batch_norm(false).leaky(false);
}

/// Padding is Darknet's `pad=1`: kernel_size / 2 on every side. For stride 1 that is "same";
/// for a 3x3 stride-2 conv on an even size H it gives H / 2 (Darknet, not the TF tutorial's
/// top-left zero pad + valid, so Darknet weights reproduce OpenCV DNN's output).
///
/// forward: [B, in_channels, H, W] -> [B, out_channels, ceil(H / stride), ceil(W / stride)]
/// (exactly so for odd kernels and even sizes).
class ConvBlockImpl : public torch::nn::Module {
 public:
  explicit ConvBlockImpl(const ConvBlockOptions& options);

  torch::Tensor forward(torch::Tensor x);

  /// Conv weights N(0, std) and conv bias 0; BatchNorm back to gamma 1, beta 0 (the TF
  /// tutorial's initialisers with std = 0.01).
  void initNormal(double std);

  ConvBlockOptions options;
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};  ///< null when !options.batch_norm()
  /// conv's weight reordered once into oneDNN's blocked layout, for inference on the CPU
  /// (set by prepackForCpuInference after foldBatchNorm; undefined otherwise). When defined,
  /// forward() runs oneDNN's convolution on it directly and the activation in place: no
  /// weight reorder per call, and no fallback to im2col + BLAS for 1x1 convs on one thread.
  /// Not a parameter or buffer: state_dict() never sees it. Used only for CPU input in eval
  /// mode with gradients off (InferenceMode, NoGradGuard); a copy, so prepack again after
  /// changing conv->weight.
  torch::Tensor packedWeight;
};

TORCH_MODULE(ConvBlock);

}  // namespace yolo::model
