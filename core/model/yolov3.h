#pragma once
// YOLOv3: Darknet-53 and the three-scale head of Darknet's yolov3.cfg.

#include <vector>

#include <torch/torch.h>

#include "core/model/conv_block.h"
#include "core/model/darknet53.h"
#include "core/model/model_spec.h"
#include "core/model/yolo_net.h"

namespace yolo::model {

/// 75 convs: 52 in the backbone, 23 in the head. forward: see YoloNetImpl::forward; returns
/// {stride 8, stride 16, stride 32} outputs.
class YoloV3Impl : public YoloNetImpl {
 public:
  explicit YoloV3Impl(const ModelSpec& spec);

  std::vector<torch::Tensor> forward(torch::Tensor images) override;
  std::vector<ConvBlock> convsInDarknetOrder() const override;

  Darknet53 backbone{nullptr};

 private:
  /// One scale of the head: five alternating 1x1/3x3 convs (route point), a 3x3 conv, the
  /// output conv; then (except for the last scale) the 1x1 conv that feeds the upsample.
  struct HeadScale {
    std::vector<ConvBlock> body;  // 5 convs; the last one's output is routed on
    ConvBlock pre{nullptr};       // 3x3, 2x channels
    ConvBlock out{nullptr};       // 1x1 output conv with bias
    ConvBlock lateral{nullptr};   // 1x1 to channels / 2 before the upsample; null for stride 8
  };
  /// Registers one HeadScale in Darknet order: body, pre, out, lateral.
  HeadScale makeScale(const std::string& name, int64_t in, int64_t channels, bool lateral);
  torch::Tensor runBody(HeadScale& scale, torch::Tensor x);

  HeadScale s32_, s16_, s8_;  // Darknet order: stride 32 first
};

TORCH_MODULE(YoloV3);

}  // namespace yolo::model
