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
  TORCH_CHECK(spec.architecture == "yolov3-tiny", "YoloV3Tiny built from a \"", spec.architecture,
              "\" spec");
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
  initWeights();
}

ConvBlock YoloV3TinyImpl::add(const std::string& name, const ConvBlockOptions& options) {
  convs_.push_back(register_module(name, ConvBlock(options)));
  return convs_.back();
}

std::vector<torch::Tensor> YoloV3TinyImpl::forward(torch::Tensor images) {
  namespace F = torch::nn::functional;
  checkInput(images);
  torch::Tensor x = images;
  torch::Tensor skip16;
  for (std::size_t i = 0; i < 5; ++i) {
    x = backbone_[i]->forward(x);
    if (i == 4) skip16 = x;  // Darknet layer 8, stride 16
    x = maxPool2x2(x);
  }
  x = backbone_[5]->forward(x);
  x = darknetMaxPoolStride1(x);
  x = backbone_[6]->forward(x);

  const torch::Tensor route = route32_->forward(x);
  torch::Tensor out32 = out32_->forward(pre32_->forward(route));

  torch::Tensor up = lateral_->forward(route);
  up = F::interpolate(up, F::InterpolateFuncOptions()
                              .size(std::vector<int64_t>{up.size(2) * 2, up.size(3) * 2})
                              .mode(torch::kNearest));
  torch::Tensor out16 = out16_->forward(pre16_->forward(torch::cat({up, skip16}, 1)));
  return {out16, out32};
}

}  // namespace yolo::model
