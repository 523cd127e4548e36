#include <torch/torch.h>

#include "core/model/yolov3_tiny.h"

#include "core/model/fast_ops.h"

#include <string>

namespace yolo::model {

torch::Tensor darknetMaxPoolStride1(const torch::Tensor& x) {
  // Darknet skips out-of-image taps; for a max that equals replicating the edge.
  return maxPool2x2Stride1Replicate(x);
}

YoloV3TinyImpl::YoloV3TinyImpl(const ModelSpec& spec) : YoloNetImpl(spec) {
  TORCH_CHECK(spec.architecture == "yolov3-tiny" || spec.architecture == "yolov3-tiny-3l",
              "YoloV3Tiny built from a \"", spec.architecture, "\" spec");
  int64_t in = 3;
  for (int64_t i = 0; i < 7; ++i) {
    const int64_t out = int64_t{16} << i;
    backbone_.push_back(add("backbone" + std::to_string(i), ConvBlockOptions(in, out, 3)));
    in = out;
  }
  route32_ = add("route32", ConvBlockOptions(1024, 256, 1));
  pre32_ = add("head32_pre", ConvBlockOptions(256, 512, 3));
  out32_ = add("head32_out", outputConvOptions(512, outputChannels()));
  lateral_ = add("lateral", ConvBlockOptions(256, 128, 1));
  // Route -1, 8: upsampled map (128) first, then backbone conv 4's output (256).
  pre16_ = add("head16_pre", ConvBlockOptions(128 + 256, 256, 3));
  out16_ = add("head16_out", outputConvOptions(256, outputChannels()));
  if (spec.architecture == "yolov3-tiny-3l") {
    // Route -3 (head16's 3x3), 1x1, upsample, route -1, 6 (backbone conv 3), as in
    // Darknet's yolov3-tiny_3l.cfg.
    lateral8_ = add("lateral8", ConvBlockOptions(256, 128, 1));
    pre8_ = add("head8_pre", ConvBlockOptions(128 + 128, 128, 3));
    out8_ = add("head8_out", outputConvOptions(128, outputChannels()));
  }
  initWeights();
}

ConvBlock YoloV3TinyImpl::add(const std::string& name, const ConvBlockOptions& options) {
  convs_.push_back(register_module(name, ConvBlock(options)));
  return convs_.back();
}

std::vector<torch::Tensor> YoloV3TinyImpl::forward(torch::Tensor images) {
  checkInput(images);
  torch::Tensor x = images;
  torch::Tensor skip8, skip16;
  for (std::size_t i = 0; i < 5; ++i) {
    x = backbone_[i]->forward(x);
    if (i == 3) skip8 = x;   // Darknet layer 6, stride 8
    if (i == 4) skip16 = x;  // Darknet layer 8, stride 16
    x = maxPool2x2(x);
  }
  x = backbone_[5]->forward(x);
  x = darknetMaxPoolStride1(x);
  x = backbone_[6]->forward(x);

  const torch::Tensor route = route32_->forward(x);
  torch::Tensor out32 = out32_->forward(pre32_->forward(route));

  const torch::Tensor head16 =
      pre16_->forward(torch::cat({darknetUpsample2x(lateral_->forward(route)), skip16}, 1));
  torch::Tensor out16 = out16_->forward(head16);
  if (!out8_) return {out16, out32};
  const torch::Tensor head8 =
      pre8_->forward(torch::cat({darknetUpsample2x(lateral8_->forward(head16)), skip8}, 1));
  return {out8_->forward(head8), out16, out32};
}

}  // namespace yolo::model
