#include <torch/torch.h>

#include "core/model/yolo_net.h"

#include <cmath>

#include "core/model/yolov3.h"
#include "core/model/yolov3_tiny.h"

namespace yolo::model {

YoloNetImpl::YoloNetImpl(ModelSpec spec)
    : spec_(std::move(spec)),
      strides_(yolo::model::strides(spec_.architecture)),
      anchors_(anchorsOf(spec_)) {
  const std::string error = validateModelSpec(spec_);
  TORCH_CHECK(error.empty(), "invalid model spec: ", error);
}

void YoloNetImpl::initWeights() {
  if (spec_.init == "tutorial") {
    for (auto& conv : convsInDarknetOrder()) conv->initNormal(/*std=*/0.01);
  }
  // "kaiming": keep PyTorch's default initialisation.
  if (spec_.outputPrior > 0.f) setOutputPrior(spec_.outputPrior);
}

void YoloNetImpl::setOutputPrior(float probability) {
  const double logit = std::log(probability / (1.0 - probability));
  const int64_t perAnchor = 5 + spec_.numClasses;
  torch::NoGradGuard noGrad;
  for (auto& conv : convsInDarknetOrder()) {
    // The heads' output convs are the only ones with a bias and no BatchNorm.
    if (conv->options.batch_norm() || !conv->conv->bias.defined()) continue;
    torch::Tensor bias = conv->conv->bias.view({-1, perAnchor});
    bias.narrow(1, 4, perAnchor - 4).fill_(logit);  // objectness and every class
  }
}

void YoloNetImpl::checkInput(const torch::Tensor& images) const {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 3, spec_.architecture,
              " expects images [B,3,H,W], got ", images.sizes());
  TORCH_CHECK(images.size(2) % 32 == 0 && images.size(3) % 32 == 0 && images.size(2) > 0 &&
                  images.size(3) > 0,
              spec_.architecture, " input height and width must be positive multiples of 32, got ",
              images.size(2), "x", images.size(3));
  TORCH_CHECK(images.is_floating_point(), spec_.architecture, " expects float images, got ",
              images.dtype());
}

torch::Tensor darknetUpsample2x(const torch::Tensor& x) {
  namespace F = torch::nn::functional;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{x.size(2) * 2, x.size(3) * 2})
                               .mode(torch::kNearest));
}

std::shared_ptr<YoloNetImpl> createModel(const ModelSpec& spec) {
  const std::string error = validateModelSpec(spec);
  TORCH_CHECK(error.empty(), "invalid model spec: ", error);
  if (spec.architecture == "yolov3-tiny" || spec.architecture == "yolov3-tiny-3l")
    return std::make_shared<YoloV3TinyImpl>(spec);
  return std::make_shared<YoloV3Impl>(spec);
}

}  // namespace yolo::model
