#include <torch/torch.h>

#include "core/model/conv_block.h"
#include "core/model/model_spec.h"
#include "core/model/yolo_net.h"
#include "core/model/yolov3.h"
#include "core/model/yolov3_tiny.h"
#include "tests/core/support.h"

using namespace yolo::model;

namespace {

class Models : public yolo::test::SeededTest {
 protected:
  void SetUp() override {
    SeededTest::SetUp();
    torch::set_num_threads(2);
  }
};

int64_t trainableParameters(const torch::nn::Module& module) {
  int64_t count = 0;
  for (const auto& p : module.parameters())
    if (p.requires_grad()) count += p.numel();
  return count;
}

void expectOutputShapes(const std::string& architecture, int numClasses, int size) {
  auto model = createModel(makeModelSpec(architecture, numClasses, size));
  model->eval();
  torch::NoGradGuard noGrad;
  const auto outputs = model->forward(torch::rand({1, 3, size, size}));
  const auto& strides = model->strides();
  ASSERT_EQ(outputs.size(), strides.size());
  for (std::size_t s = 0; s < outputs.size(); ++s) {
    SCOPED_TRACE(architecture + " @" + std::to_string(size) + " C=" + std::to_string(numClasses) +
                 " stride " + std::to_string(strides[s]));
    EXPECT_EQ(outputs[s].sizes(),
              torch::IntArrayRef({1, 3 * (5 + numClasses), size / strides[s], size / strides[s]}));
    EXPECT_TRUE(torch::isfinite(outputs[s]).all().item<bool>());
  }
}

}  // namespace

TEST(ModelSpecTest, DefaultsAndValidation) {
  ModelSpec spec;
  EXPECT_EQ(validateModelSpec(spec), "");
  EXPECT_EQ(anchorsOf(spec).size(), 3u);
  spec.architecture = "yolov3-tiny";  // empty anchors follow the architecture
  EXPECT_EQ(validateModelSpec(spec), "");
  EXPECT_EQ(anchorsOf(spec).size(), 2u);
  EXPECT_EQ(strides("yolov3-tiny"), (std::vector<int>{16, 32}));
  EXPECT_EQ(strides("yolov3"), (std::vector<int>{8, 16, 32}));
  EXPECT_EQ(strides("yolov3-tiny-3l"), (std::vector<int>{8, 16, 32}));
  EXPECT_EQ(defaultAnchors("yolov3-tiny-3l").size(), 3u);
  spec.architecture = "yolov3-tiny-2l";
  EXPECT_NE(validateModelSpec(spec).find("yolov3-tiny-3l"), std::string::npos)
      << "the message lists the known architectures";
  spec.architecture = "yolov3-tiny";

  spec.anchors = defaultAnchors("yolov3");  // 3 scales on a 2-scale net
  EXPECT_NE(validateModelSpec(spec).find("3 scales"), std::string::npos);
  spec = makeModelSpec("yolov3", 10, 400);
  EXPECT_NE(validateModelSpec(spec).find("400"), std::string::npos);
  spec = makeModelSpec("yolov3", 0);
  EXPECT_NE(validateModelSpec(spec).find("numClasses"), std::string::npos);
  spec = makeModelSpec("yolov3", 10);
  spec.anchors[1].pop_back();
  EXPECT_NE(validateModelSpec(spec).find("scale 1"), std::string::npos);
  spec = makeModelSpec("yolov4", 10);
  EXPECT_NE(validateModelSpec(spec).find("yolov4"), std::string::npos);
  EXPECT_THROW(createModel(spec), c10::Error);
}

TEST(ModelSpecTest, JsonRoundTripAndOldFilesLoad) {
  const ModelSpec spec = makeModelSpec("yolov3-tiny", 3, 320);
  const nlohmann::json j = spec;
  const auto back = j.get<ModelSpec>();
  EXPECT_EQ(back.architecture, "yolov3-tiny");
  EXPECT_EQ(back.numClasses, 3);
  EXPECT_EQ(back.inputSize, 320);
  ASSERT_EQ(back.anchors.size(), 2u);
  EXPECT_FLOAT_EQ(back.anchors[1][2][0], 344.f);
  // A file with fields missing keeps the defaults.
  const auto partial = nlohmann::json::parse(R"({"numClasses": 4})").get<ModelSpec>();
  EXPECT_EQ(partial.architecture, "yolov3");
  EXPECT_EQ(partial.numClasses, 4);
  EXPECT_EQ(partial.init, "tutorial");
}

TEST_F(Models, ConvBlockPaddingFollowsDarknet) {
  ConvBlock down(ConvBlockOptions(4, 8, 3, /*stride=*/2));
  EXPECT_EQ(down->forward(torch::rand({1, 4, 416, 416})).sizes(),
            torch::IntArrayRef({1, 8, 208, 208}));
  EXPECT_FALSE(down->conv->bias.defined());
  EXPECT_DOUBLE_EQ(down->bn->options.eps(), 1e-6);
  ConvBlock same(ConvBlockOptions(4, 8, 3));
  EXPECT_EQ(same->forward(torch::rand({1, 4, 13, 13})).sizes(), torch::IntArrayRef({1, 8, 13, 13}));
  ConvBlock out(outputConvOptions(4, 45));
  EXPECT_TRUE(out->conv->bias.defined());
  EXPECT_FALSE(out->bn);
  // Linear output: negative values survive.
  EXPECT_LT(out->forward(torch::randn({1, 4, 5, 5})).min().item<float>(), 0.f);
}

// Each size and each class count once; the big net costs ~4 s a forward on 2 threads.
TEST_F(Models, YoloV3OutputShapes) {
  expectOutputShapes("yolov3", 10, 320);
  expectOutputShapes("yolov3", 80, 416);
}

TEST_F(Models, TinyOutputShapes) {
  for (int classes : {10, 80})
    for (int size : {320, 416}) expectOutputShapes("yolov3-tiny", classes, size);
}

TEST_F(Models, Tiny3lAddsAStride8HeadToTiny) {
  expectOutputShapes("yolov3-tiny-3l", 10, 416);
  auto tiny = createModel(makeModelSpec("yolov3-tiny", 10));
  auto tiny3l = createModel(makeModelSpec("yolov3-tiny-3l", 10));
  EXPECT_EQ(tiny3l->convsInDarknetOrder().size(), 16u);
  // yolov3-tiny_3l.cfg adds 1x1 256->128, 3x3 256->128 (+BN) and 1x1 128->45 (+bias).
  const int64_t added = (256 * 128 + 2 * 128) + (256 * 128 * 9 + 2 * 128) + (128 * 45 + 45);
  EXPECT_EQ(trainableParameters(*tiny3l) - trainableParameters(*tiny), added);
}

TEST_F(Models, NonSquareInputAndBadInput) {
  auto model = createModel(makeModelSpec("yolov3-tiny", 10));
  torch::NoGradGuard noGrad;
  model->eval();
  const auto outputs = model->forward(torch::rand({2, 3, 64, 96}));
  EXPECT_EQ(outputs[0].sizes(), torch::IntArrayRef({2, 45, 4, 6}));
  EXPECT_EQ(outputs[1].sizes(), torch::IntArrayRef({2, 45, 2, 3}));
  EXPECT_THROW(model->forward(torch::rand({1, 3, 100, 96})), c10::Error);
  EXPECT_THROW(model->forward(torch::rand({1, 1, 96, 96})), c10::Error);
}

// Darknet-53 has 52 convs, the YOLOv3 head 23; YOLOv3-tiny has 13.
TEST_F(Models, ConvCountsAndDarknetOrder) {
  auto v3 = createModel(makeModelSpec("yolov3", 80));
  const auto convs = v3->convsInDarknetOrder();
  ASSERT_EQ(convs.size(), 75u);
  int outputs = 0;
  for (const auto& c : convs) outputs += c->bn ? 0 : 1;
  EXPECT_EQ(outputs, 3);
  // yolov3.cfg layers (convs counted only): conv 0 is 3->32; conv 58 the large-object output
  // (1024 -> 255), created before conv 59 (the 1x1 512 -> 256 before the first upsample);
  // conv 60 takes the 768-channel route; conv 66 the medium output; conv 74 the small one.
  EXPECT_EQ(convs[0]->options.in_channels(), 3);
  EXPECT_EQ(convs[1]->options.stride(), 2);
  EXPECT_EQ(convs[51]->options.out_channels(), 1024);
  EXPECT_EQ(convs[57]->options.out_channels(), 1024);
  EXPECT_FALSE(convs[58]->bn);
  EXPECT_EQ(convs[58]->options.out_channels(), 255);
  EXPECT_EQ(convs[59]->options.in_channels(), 512);
  EXPECT_EQ(convs[59]->options.out_channels(), 256);
  EXPECT_EQ(convs[60]->options.in_channels(), 768);
  EXPECT_FALSE(convs[66]->bn);
  EXPECT_EQ(convs[67]->options.out_channels(), 128);
  EXPECT_EQ(convs[68]->options.in_channels(), 384);
  EXPECT_FALSE(convs[74]->bn);
  EXPECT_EQ(convs[74]->options.in_channels(), 256);

  auto tiny = createModel(makeModelSpec("yolov3-tiny", 80));
  const auto tinyConvs = tiny->convsInDarknetOrder();
  ASSERT_EQ(tinyConvs.size(), 13u);
  EXPECT_EQ(tinyConvs[6]->options.out_channels(), 1024);
  EXPECT_EQ(tinyConvs[7]->options.out_channels(), 256);
  EXPECT_FALSE(tinyConvs[9]->bn);
  EXPECT_EQ(tinyConvs[10]->options.in_channels(), 256);
  EXPECT_EQ(tinyConvs[11]->options.in_channels(), 384);
  EXPECT_FALSE(tinyConvs[12]->bn);
}

/// Parameters plus BatchNorm running mean and variance (what Keras calls "Total params" and
/// Darknet's .weights file stores); num_batches_tracked is PyTorch bookkeeping, left out.
int64_t parametersAndBatchNormStats(const torch::nn::Module& module) {
  int64_t count = trainableParameters(module);
  for (const auto& b : module.named_buffers())
    if (b.key().find("running_") != std::string::npos) count += b.value().numel();
  return count;
}

// For 80 classes. Trainable = conv weights, the output convs' biases, BN gamma and beta:
// 61,949,149 for YOLOv3 (ultralytics' and the TF tutorial's Keras summary print the same).
// Adding BN running mean and var gives Keras' "Total params": 62,001,757. For YOLOv3-tiny the
// commonly quoted 8,858,734 is that total; its trainable count is 8,852,366 (3,184 BN
// channels x 2 fewer). Both pairs are checked so the figures cannot be mixed up again.
TEST_F(Models, ParameterCountsMatchDarknet) {
  auto v3 = createModel(makeModelSpec("yolov3", 80));
  EXPECT_EQ(trainableParameters(*v3), 61949149);
  EXPECT_EQ(parametersAndBatchNormStats(*v3), 62001757);
  auto tiny = createModel(makeModelSpec("yolov3-tiny", 80));
  EXPECT_EQ(trainableParameters(*tiny), 8852366);
  EXPECT_EQ(parametersAndBatchNormStats(*tiny), 8858734);
}

TEST_F(Models, TinyStride1MaxPoolKeepsSizeAndReplicatesEdge) {
  const auto x = torch::arange(9, torch::kFloat).reshape({1, 1, 3, 3});
  const auto y = darknetMaxPoolStride1(x);
  EXPECT_EQ(y.sizes(), x.sizes());
  // Window covers (r, c) .. (r + 1, c + 1), clipped to the image.
  const auto expected =
      torch::tensor({4.f, 5.f, 5.f, 7.f, 8.f, 8.f, 7.f, 8.f, 8.f}).reshape({1, 1, 3, 3});
  EXPECT_TRUE(torch::equal(y, expected));
  // Negative maps: zero padding would leak a 0 into the last row and column.
  EXPECT_LT(darknetMaxPoolStride1(-torch::ones({1, 2, 13, 13})).max().item<float>(), 0.f);
  EXPECT_EQ(darknetMaxPoolStride1(torch::rand({2, 512, 13, 13})).sizes(),
            torch::IntArrayRef({2, 512, 13, 13}));
}

TEST_F(Models, TutorialInitIsNormalWithZeroBias) {
  auto tiny = createModel(makeModelSpec("yolov3-tiny", 10));
  const auto convs = tiny->convsInDarknetOrder();
  const auto w = convs[6]->conv->weight;  // 1024 x 512 x 3 x 3
  EXPECT_NEAR(w.std().item<float>(), 0.01f, 0.0005f);
  EXPECT_NEAR(w.mean().item<float>(), 0.f, 0.0005f);
  EXPECT_EQ(convs[12]->conv->bias.abs().max().item<float>(), 0.f);

  ModelSpec spec = makeModelSpec("yolov3-tiny", 10);
  spec.init = "kaiming";
  auto kaiming = createModel(spec);
  // PyTorch's default draws conv biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)): not zero.
  EXPECT_GT(kaiming->convsInDarknetOrder()[12]->conv->bias.abs().max().item<float>(), 0.f);
}

TEST_F(Models, OutputPriorSetsObjectnessAndClassBiasesOnly) {
  for (const std::string& arch : architectureNames()) {
    ModelSpec spec = makeModelSpec(arch, 3);
    spec.init = "kaiming";
    spec.outputPrior = 0.01f;
    auto net = createModel(spec);
    const torch::Tensor image = torch::rand({1, 3, 64, 64});
    int heads = 0;
    for (const auto& conv : net->convsInDarknetOrder()) {
      if (conv->options.batch_norm()) continue;
      ++heads;
      const torch::Tensor bias = conv->conv->bias.view({3, 8});  // 3 anchors x (5 + 3)
      const float logit = std::log(0.01f / 0.99f);
      EXPECT_TRUE(torch::allclose(bias.narrow(1, 4, 4), torch::full({3, 4}, logit)));
      EXPECT_GT(bias.narrow(1, 0, 4).abs().max().item<float>(), 0.f) << "box biases untouched";
    }
    EXPECT_EQ(heads, static_cast<int>(strides(arch).size()));
    // The heads start out saying "nothing here" (weights are small next to -4.6).
    torch::NoGradGuard noGrad;
    net->eval();
    const torch::Tensor raw = net->forward(image).back().view({1, 3, 8, -1});
    EXPECT_LT(torch::sigmoid(raw.select(2, 4)).mean().item<float>(), 0.1f);
  }
  ModelSpec bad = makeModelSpec("yolov3-tiny", 10);
  bad.outputPrior = 1.f;
  EXPECT_NE(validateModelSpec(bad).find("outputPrior"), std::string::npos);
}

TEST_F(Models, GradientsReachEveryParameter) {
  for (const std::string& architecture : architectureNames()) {
    SCOPED_TRACE(architecture);
    auto model = createModel(makeModelSpec(architecture, 10, 64));
    model->train();
    const auto outputs = model->forward(torch::rand({2, 3, 64, 64}));
    // A random projection, not a plain sum: the sum of a BatchNorm output has no gradient.
    torch::Tensor loss = torch::zeros({});
    for (const auto& out : outputs) loss = loss + (out * torch::randn_like(out)).sum();
    loss.backward();
    for (const auto& named : model->named_parameters()) {
      const auto& grad = named.value().grad();
      ASSERT_TRUE(grad.defined()) << named.key();
      EXPECT_TRUE(torch::isfinite(grad).all().item<bool>()) << named.key();
      EXPECT_GT(grad.abs().max().item<float>(), 0.f) << named.key();
    }
  }
}
