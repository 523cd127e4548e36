#include <torch/torch.h>

#include "core/model/fold_batchnorm.h"

#include <stdexcept>

namespace yolo::model {

FoldedConv foldedConv(const ConvBlockImpl& block) {
  torch::NoGradGuard noGrad;
  const auto& conv = block.conv;
  const auto dtype = conv->weight.scalar_type();
  if (!block.bn) {
    return {conv->weight.detach().clone(),
            conv->bias.defined() ? conv->bias.detach().clone()
                                 : torch::zeros({conv->weight.size(0)}, conv->weight.options())};
  }
  const auto& bn = block.bn;
  // In double: var + 1e-6 loses digits in float for small variances.
  const auto scale = (bn->running_var.to(torch::kDouble) + bn->options.eps()).rsqrt() *
                     bn->weight.to(torch::kDouble);
  const auto weight = conv->weight.to(torch::kDouble) * scale.view({-1, 1, 1, 1});
  auto bias = bn->bias.to(torch::kDouble) - bn->running_mean.to(torch::kDouble) * scale;
  if (conv->bias.defined()) bias = bias + conv->bias.to(torch::kDouble) * scale;
  return {weight.to(dtype).contiguous(), bias.to(dtype).contiguous()};
}

int foldBatchNorm(YoloNetImpl& net) {
  torch::NoGradGuard noGrad;
  int folded = 0;
  for (ConvBlock& block : net.convsInDarknetOrder()) {
    if (!block->bn) continue;
    FoldedConv f = foldedConv(*block);
    block->conv->weight.set_data(f.weight);
    // Conv2dImpl::forward passes its `bias` member to conv2d; a conv built without bias has
    // an undefined one, which a plain assignment fills (not registered as a parameter).
    block->conv->bias = f.bias;
    block->bn = nullptr;
    ++folded;
  }
  return folded;
}

void convertToChannelsLast(YoloNetImpl& net) {
  torch::NoGradGuard noGrad;
  for (ConvBlock& block : net.convsInDarknetOrder())
    block->conv->weight.set_data(block->conv->weight.contiguous(torch::MemoryFormat::ChannelsLast));
}

bool canPrepackForCpuInference() {
  return at::hasMKLDNN() && at::globalContext().userEnabledMkldnn();
}

void prepackForCpuInference(YoloNetImpl& net) {
  if (!canPrepackForCpuInference())
    throw std::runtime_error("this libtorch has no oneDNN (MKLDNN) to prepack convolutions for");
  torch::NoGradGuard noGrad;
  for (ConvBlock& block : net.convsInDarknetOrder()) {
    const torch::Tensor& weight = block->conv->weight;
    if (block->bn) throw std::runtime_error("prepackForCpuInference: fold BatchNorm first");
    if (!weight.device().is_cpu() || weight.scalar_type() != torch::kFloat)
      throw std::runtime_error("prepackForCpuInference: needs float32 weights on the CPU");
    const int64_t pad = block->options.kernel_size() / 2;
    const int64_t stride = block->options.stride();
    block->packedWeight = torch::mkldnn_reorder_conv2d_weight(
        weight.contiguous().to_mkldnn(), {pad, pad}, {stride, stride}, /*dilation=*/{1, 1},
        /*groups=*/1);
  }
}

}  // namespace yolo::model
