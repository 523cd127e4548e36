#pragma once
// Darknet-53, the YOLOv3 backbone: 52 convs with residual shortcuts, as in Darknet's yolov3.cfg.

#include <vector>

#include <torch/torch.h>

#include "core/model/conv_block.h"

namespace yolo::model {

/// Darknet's residual unit: 1x1 conv to channels / 2, 3x3 conv back to channels, then
/// `x + f(x)` with no activation after the add ([shortcut] activation=linear).
/// forward: [B, channels, H, W] -> same shape.
class DarknetResidualImpl : public torch::nn::Module {
 public:
  explicit DarknetResidualImpl(int64_t channels);
  torch::Tensor forward(torch::Tensor x);

  ConvBlock reduce{nullptr};  ///< 1x1, channels -> channels / 2
  ConvBlock expand{nullptr};  ///< 3x3, channels / 2 -> channels
};

TORCH_MODULE(DarknetResidual);

/// The three feature maps the YOLOv3 head routes from.
struct Darknet53Features {
  torch::Tensor stride8;   ///< [B, 256, H/8, W/8]   (Darknet layer 36)
  torch::Tensor stride16;  ///< [B, 512, H/16, W/16] (Darknet layer 61)
  torch::Tensor stride32;  ///< [B, 1024, H/32, W/32] (Darknet layer 74)
};

/// forward: [B, 3, H, W] with H, W multiples of 32 -> Darknet53Features.
class Darknet53Impl : public torch::nn::Module {
 public:
  Darknet53Impl();
  Darknet53Features forward(torch::Tensor x);

  /// The 52 convs in the order of Darknet's cfg (and of its .weights file).
  std::vector<ConvBlock> convsInDarknetOrder() const { return convs_; }

 private:
  /// One stride-2 3x3 conv to `channels`, then `blocks` residual units.
  torch::Tensor runStage(std::size_t stage, torch::Tensor x);

  std::vector<ConvBlock> downsample_;                   // per stage
  std::vector<std::vector<DarknetResidual>> residual_;  // per stage
  ConvBlock stem_{nullptr};
  std::vector<ConvBlock> convs_;
};

TORCH_MODULE(Darknet53);

}  // namespace yolo::model
