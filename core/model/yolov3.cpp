#include <torch/torch.h>

#include "core/model/yolov3.h"

#include <string>

namespace yolo::model {

YoloV3Impl::YoloV3Impl(const ModelSpec& spec) : YoloNetImpl(spec) {
  TORCH_CHECK(spec.architecture == "yolov3", "YoloV3 built from a \"", spec.architecture,
              "\" spec");
  backbone = register_module("backbone", Darknet53());
  // Channel counts of yolov3.cfg; the routes concat the upsampled map first, then the skip.
  s32_ = makeScale("head32", 1024, 512, /*lateral=*/true);
  s16_ = makeScale("head16", 256 + 512, 256, /*lateral=*/true);
  s8_ = makeScale("head8", 128 + 256, 128, /*lateral=*/false);
  initWeights();
}

YoloV3Impl::HeadScale YoloV3Impl::makeScale(const std::string& name, int64_t in, int64_t channels,
                                            bool lateral) {
  HeadScale scale;
  for (int i = 0; i < 5; ++i) {
    const bool wide = i % 2 == 1;
    const int64_t out = wide ? 2 * channels : channels;
    scale.body.push_back(register_module(name + "_body" + std::to_string(i),
                                         ConvBlock(ConvBlockOptions(in, out, wide ? 3 : 1))));
    in = out;
  }
  scale.pre =
      register_module(name + "_pre", ConvBlock(ConvBlockOptions(channels, 2 * channels, 3)));
  scale.out =
      register_module(name + "_out", ConvBlock(outputConvOptions(2 * channels, outputChannels())));
  if (lateral) {
    scale.lateral =
        register_module(name + "_lateral", ConvBlock(ConvBlockOptions(channels, channels / 2, 1)));
  }
  return scale;
}

torch::Tensor YoloV3Impl::runBody(HeadScale& scale, torch::Tensor x) {
  for (auto& conv : scale.body) x = conv->forward(x);
  return x;
}

std::vector<torch::Tensor> YoloV3Impl::forward(torch::Tensor images) {
  checkInput(images);
  const Darknet53Features features = backbone->forward(images);

  const torch::Tensor route32 = runBody(s32_, features.stride32);
  torch::Tensor out32 = s32_.out->forward(s32_.pre->forward(route32));

  torch::Tensor x =
      torch::cat({darknetUpsample2x(s32_.lateral->forward(route32)), features.stride16}, 1);
  const torch::Tensor route16 = runBody(s16_, x);
  torch::Tensor out16 = s16_.out->forward(s16_.pre->forward(route16));

  x = torch::cat({darknetUpsample2x(s16_.lateral->forward(route16)), features.stride8}, 1);
  torch::Tensor out8 = s8_.out->forward(s8_.pre->forward(runBody(s8_, x)));

  return {out8, out16, out32};
}

std::vector<ConvBlock> YoloV3Impl::convsInDarknetOrder() const {
  std::vector<ConvBlock> convs = backbone->convsInDarknetOrder();
  for (const HeadScale* scale : {&s32_, &s16_, &s8_}) {
    convs.insert(convs.end(), scale->body.begin(), scale->body.end());
    convs.push_back(scale->pre);
    convs.push_back(scale->out);
    if (scale->lateral) convs.push_back(scale->lateral);
  }
  return convs;
}

}  // namespace yolo::model
