#include <torch/torch.h>

#include "core/model/darknet53.h"

#include <string>

namespace yolo::model {

DarknetResidualImpl::DarknetResidualImpl(int64_t channels) {
  TORCH_CHECK(channels >= 2 && channels % 2 == 0,
              "DarknetResidual needs an even channel count, got ", channels);
  reduce = register_module("reduce", ConvBlock(ConvBlockOptions(channels, channels / 2, 1)));
  expand = register_module("expand", ConvBlock(ConvBlockOptions(channels / 2, channels, 3)));
}

torch::Tensor DarknetResidualImpl::forward(torch::Tensor x) {
  return x + expand->forward(reduce->forward(x));
}

Darknet53Impl::Darknet53Impl() {
  stem_ = register_module("stem", ConvBlock(ConvBlockOptions(3, 32, 3)));
  convs_.push_back(stem_);
  // Stages of yolov3.cfg: output channels and residual units; strides 2, 4, 8, 16, 32.
  const int64_t channels[] = {64, 128, 256, 512, 1024};
  const int blocks[] = {1, 2, 8, 8, 4};
  int64_t in = 32;
  for (std::size_t s = 0; s < 5; ++s) {
    const std::string prefix = "stage" + std::to_string(s + 1);
    downsample_.push_back(register_module(
        prefix + "_down", ConvBlock(ConvBlockOptions(in, channels[s], 3, /*stride=*/2))));
    convs_.push_back(downsample_.back());
    residual_.emplace_back();
    for (int b = 0; b < blocks[s]; ++b) {
      residual_[s].push_back(
          register_module(prefix + "_res" + std::to_string(b), DarknetResidual(channels[s])));
      convs_.push_back(residual_[s].back()->reduce);
      convs_.push_back(residual_[s].back()->expand);
    }
    in = channels[s];
  }
}

torch::Tensor Darknet53Impl::runStage(std::size_t stage, torch::Tensor x) {
  x = downsample_[stage]->forward(x);
  for (auto& block : residual_[stage]) x = block->forward(x);
  return x;
}

Darknet53Features Darknet53Impl::forward(torch::Tensor x) {
  TORCH_CHECK(x.dim() == 4 && x.size(1) == 3, "Darknet53 expects [B,3,H,W], got ", x.sizes());
  TORCH_CHECK(x.size(2) % 32 == 0 && x.size(3) % 32 == 0,
              "Darknet53 input height and width must be multiples of 32, got ", x.size(2), "x",
              x.size(3));
  x = stem_->forward(x);
  x = runStage(0, x);
  x = runStage(1, x);
  Darknet53Features out;
  out.stride8 = runStage(2, x);
  out.stride16 = runStage(3, out.stride8);
  out.stride32 = runStage(4, out.stride16);
  return out;
}

}  // namespace yolo::model
