#include <torch/torch.h>

#include "core/model/conv_block.h"

#include "core/model/fast_ops.h"
#include "core/model/winograd_conv.h"

namespace yolo::model {
namespace {

// BatchNormImplBase::forward's bookkeeping, then its batch_norm call fused with the
// LeakyReLU: same values, gradients and running statistics as the two modules in a row, with
// bn's parameters and buffers still the ones the state dict names.
torch::Tensor batchNormLeaky(torch::nn::BatchNorm2dImpl& bn, const torch::Tensor& x) {
  double factor = bn.options.momentum().value_or(0.0);
  if (bn.options.track_running_stats() && bn.num_batches_tracked.defined()) {
    torch::NoGradGuard noGrad;
    bn.num_batches_tracked += 1;
    if (!bn.options.momentum()) factor = 1.0 / bn.num_batches_tracked.item<double>();
  }
  return batchNormLeakyTraining(x, bn.weight, bn.bias, bn.running_mean, bn.running_var, factor,
                                bn.options.eps(), /*slope=*/0.1);
}

}  // namespace

ConvBlockImpl::ConvBlockImpl(const ConvBlockOptions& options_) : options(options_) {
  TORCH_CHECK(options.in_channels() > 0 && options.out_channels() > 0,
              "ConvBlock channels must be positive, got ", options.in_channels(), " -> ",
              options.out_channels());
  TORCH_CHECK(options.kernel_size() > 0 && options.stride() > 0, "ConvBlock kernel ",
              options.kernel_size(), " and stride ", options.stride(), " must be positive");
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(options.in_channels(),
                                                                            options.out_channels(),
                                                                            options.kernel_size())
                                                       .stride(options.stride())
                                                       .padding(options.kernel_size() / 2)
                                                       .bias(!options.batch_norm())));
  if (options.batch_norm()) {
    bn = register_module(
        "bn", torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(options.out_channels())
                                         .eps(options.bn_eps())
                                         .momentum(options.bn_momentum())));
  }
}

torch::Tensor ConvBlockImpl::forward(torch::Tensor x) {
  // The packed copy serves CPU inference only: a gradient would never reach conv->weight.
  if (packedWeight.defined() && x.device().is_cpu() && !is_training() &&
      !torch::GradMode::is_enabled()) {
    const int64_t pad = options.kernel_size() / 2;
    const int64_t stride = options.stride();
    x = torch::mkldnn_convolution(x, packedWeight, conv->bias, {pad, pad}, {stride, stride},
                                  /*dilation=*/{1, 1}, /*groups=*/1);
    return options.leaky() ? torch::leaky_relu_(x, /*negative_slope=*/0.1) : x;
  }
  // 3x3 stride-1 convs (no bias: they all have a BatchNorm) as Winograd convolutions on the
  // CPU, 4x fewer multiplies forward and backward (core/model/winograd_conv.h).
  if (options.kernel_size() == 3 && options.stride() == 1 && !conv->bias.defined() &&
      winogradConvsEnabled() && winogradConvApplies(x, conv->weight) && winogradConvPays(x))
    x = winogradConv3x3(x, conv->weight);
  else
    x = conv->forward(x);
  if (bn && options.leaky() && bn->is_training()) return batchNormLeaky(*bn, x);
  if (bn) x = bn->forward(x);
  if (options.leaky()) x = torch::leaky_relu(x, /*negative_slope=*/0.1);
  return x;
}

void ConvBlockImpl::initNormal(double std) {
  torch::NoGradGuard noGrad;
  conv->weight.normal_(0.0, std);
  if (conv->bias.defined()) conv->bias.zero_();
  if (bn) bn->reset_parameters();
}

}  // namespace yolo::model
