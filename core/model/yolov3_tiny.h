#pragma once
// YOLOv3-tiny: the 13 convs of Darknet's yolov3-tiny.cfg, heads at strides 16 and 32; and
// YOLOv3-tiny-3l (yolov3-tiny_3l.cfg): the same 13 plus 3 for a head at stride 8.

#include <vector>

#include <torch/torch.h>

#include "core/model/conv_block.h"
#include "core/model/model_spec.h"
#include "core/model/yolo_net.h"

namespace yolo::model {

/// Darknet's [maxpool] size=2 stride=1: the window reaches one pixel right and down, and the
/// last row and column see only the image (edge replicated), so H x W stays H x W.
/// [B, C, H, W] -> [B, C, H, W].
torch::Tensor darknetMaxPoolStride1(const torch::Tensor& x);

/// forward: see YoloNetImpl::forward; returns {stride 16, stride 32} outputs, or
/// {stride 8, stride 16, stride 32} for "yolov3-tiny-3l".
class YoloV3TinyImpl : public YoloNetImpl {
 public:
  explicit YoloV3TinyImpl(const ModelSpec& spec);

  std::vector<torch::Tensor> forward(torch::Tensor images) override;
  std::vector<ConvBlock> convsInDarknetOrder() const override { return convs_; }

 private:
  ConvBlock add(const std::string& name, const ConvBlockOptions& options);

  std::vector<ConvBlock> backbone_;  // 7 convs, 16 .. 1024 channels
  ConvBlock route32_{nullptr};       // 1x1 1024 -> 256, routed to both heads
  ConvBlock pre32_{nullptr}, out32_{nullptr};
  ConvBlock lateral_{nullptr};  // 1x1 256 -> 128 before the upsample
  ConvBlock pre16_{nullptr}, out16_{nullptr};
  // yolov3-tiny-3l only: 1x1 256 -> 128 on head16's 3x3 output, upsampled and joined with
  // backbone conv 3 (128 channels, stride 8).
  ConvBlock lateral8_{nullptr};
  ConvBlock pre8_{nullptr}, out8_{nullptr};
  std::vector<ConvBlock> convs_;  // all 13 (16), Darknet order
};

TORCH_MODULE(YoloV3Tiny);

}  // namespace yolo::model
