// The inference-only rewrites (BatchNorm folding, channels-last, oneDNN-prepacked weights, the
// one-pass letterbox) keep the numbers, the Detector that uses them gives the same detections
// as the plain pipeline, and the TorchScript export computes what our network, decode and NMS
// compute.

#include <torch/script.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <dlfcn.h>

#include <opencv2/imgproc.hpp>

#include "core/infer/detector.h"
#include "core/infer/onednn_network.h"
#include "core/infer/postprocess.h"
#include "core/model/calibrate_batchnorm.h"
#include "core/model/fold_batchnorm.h"
#include "core/model/torchscript_export.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/util/compute_threads.h"
#include "core/util/letterbox.h"
#include "tests/core/same_detections.h"
#include "tests/core/support.h"

using namespace yolo;
namespace fs = std::filesystem;

namespace {

constexpr int kClasses = 3;

/// A network with kaiming weights and BatchNorm statistics calibrated on random images, so
/// eval-mode activations are of a sane size and the BatchNorms have something to fold.
std::shared_ptr<model::YoloNetImpl> calibratedNet(const std::string& architecture, int size) {
  model::ModelSpec spec = model::makeModelSpec(architecture, kClasses, size);
  spec.init = "kaiming";
  auto net = model::createModel(spec);
  model::calibrateBatchNorm(*net, torch::rand({2, 3, size, size}));
  return net;
}

/// An image with structure (shapes on noise), not a flat field.
cv::Mat testImage(int width, int height) {
  cv::Mat image(height, width, CV_8UC3);
  cv::randu(image, 0, 255);
  cv::rectangle(image, {width / 5, height / 4}, {width / 2, height * 3 / 4}, {20, 200, 40}, -1);
  cv::circle(image, {width * 3 / 4, height / 2}, height / 5, {240, 240, 240}, -1);
  return image;
}

std::vector<torch::Tensor> forward(model::YoloNetImpl& net, const torch::Tensor& x) {
  torch::InferenceMode guard;
  return net.forward(x);
}

/// How far two float32 evaluations of `net` may drift apart when they sum in another order
/// (oneDNN picks other kernels on AVX2 and AVX-512, Winograd against direct convolutions,
/// folded against separate BatchNorm), relative to the size of the outputs. A conv output
/// is a sum of K = Cin x k x k products; summed in another order it moves by about sqrt(K)
/// float epsilons of its magnitude (roundings add as a random walk), and each of the chain's
/// convolutions adds its own: depth x sqrt(largest K) x epsilon. The activations of these
/// calibrated networks stay of order one, so this is also a bound relative to the outputs.
/// A wrong weight, layer or padding moves outputs by a tenth of their size or more.
double reorderingTolerance(const model::YoloNetImpl& net) {
  const auto convs = net.convsInDarknetOrder();
  int64_t largestFanIn = 1;
  for (const auto& block : convs)
    largestFanIn = std::max(largestFanIn, block->conv->weight[0].numel());
  return static_cast<double>(convs.size()) * std::sqrt(static_cast<double>(largestFanIn)) *
         std::numeric_limits<float>::epsilon();
}

/// Largest |a - b| per head below `tolerance` x max(1, max|a|): relative, because the
/// roundings of another summation order scale with the values summed.
void expectClose(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b,
                 double tolerance) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].sizes(), b[i].sizes());
    const double diff = (a[i] - b[i]).abs().max().item<double>();
    const double scale = std::max(1.0, a[i].abs().max().item<double>());
    EXPECT_LT(diff, tolerance * scale)
        << "head " << i << " max abs difference " << diff << ", largest output " << scale
        << ", tolerance " << tolerance;
  }
}

class InferenceSpeedups : public test::SeededTest {};

}  // namespace

TEST_F(InferenceSpeedups, CalibratedNetworkHasSaneActivations) {
  auto net = calibratedNet("yolov3-tiny", 128);
  for (const auto& head : forward(*net, torch::rand({1, 3, 128, 128}))) {
    const double std = head.std().item<double>();
    EXPECT_GT(std, 0.05);
    EXPECT_LT(std, 20.0);
  }
}

TEST_F(InferenceSpeedups, FoldedBatchNormGivesTheSameRawOutputs) {
  for (const auto& [architecture, size] :
       std::vector<std::pair<std::string, int>>{{"yolov3-tiny", 128}, {"yolov3", 96}}) {
    auto net = calibratedNet(architecture, size);
    const auto x = torch::rand({1, 3, size, size});
    const auto before = forward(*net, x);
    const int bns = model::foldBatchNorm(*net);
    EXPECT_EQ(bns, architecture == "yolov3" ? 72 : 11) << architecture;
    EXPECT_EQ(model::foldBatchNorm(*net), 0) << "folding twice folds nothing";
    for (const auto& block : net->convsInDarknetOrder()) EXPECT_FALSE(block->bn);
    expectClose(before, forward(*net, x), reorderingTolerance(*net));

    model::convertToChannelsLast(*net);
    const auto channelsLast = forward(*net, x.contiguous(torch::MemoryFormat::ChannelsLast));
    expectClose(before, channelsLast, reorderingTolerance(*net));
  }
}

TEST_F(InferenceSpeedups, PrepackedConvolutionsGiveTheSameRawOutputs) {
  if (!model::canPrepackForCpuInference()) GTEST_SKIP() << "libtorch without oneDNN";
  for (const auto& [architecture, size] :
       std::vector<std::pair<std::string, int>>{{"yolov3-tiny", 128}, {"yolov3", 96}}) {
    auto net = calibratedNet(architecture, size);
    net->eval();
    EXPECT_THROW(model::prepackForCpuInference(*net), std::runtime_error)
        << "a block with its BatchNorm cannot be prepacked";
    model::foldBatchNorm(*net);
    const auto keys = net->named_parameters().keys();
    const auto x = torch::rand({1, 3, size, size});
    const auto folded = forward(*net, x);
    // Batch 2 and another input size: the packed weights do not depend on the input shape.
    const auto batch = torch::rand({2, 3, size + 32, size + 32});
    const auto foldedBatch = forward(*net, batch);

    model::prepackForCpuInference(*net);
    for (const auto& block : net->convsInDarknetOrder()) {
      ASSERT_TRUE(block->packedWeight.defined());
      EXPECT_TRUE(block->packedWeight.is_mkldnn());
    }
    EXPECT_EQ(net->named_parameters().keys(), keys) << "the packed copies are not parameters";
    expectClose(folded, forward(*net, x), reorderingTolerance(*net));
    expectClose(foldedBatch, forward(*net, batch), reorderingTolerance(*net));

    // The packed copies are what runs: with the plain weights zeroed, inference is unchanged;
    // with gradients on, forward() takes the plain (now zero) weights.
    {
      torch::NoGradGuard noGrad;
      for (const auto& block : net->convsInDarknetOrder()) block->conv->weight.zero_();
    }
    expectClose(folded, forward(*net, x), reorderingTolerance(*net));
    const auto withGrad = net->forward(x);
    EXPECT_GT((withGrad[0] - folded[0]).abs().max().item<double>(), 1e-3);
  }
}

TEST_F(InferenceSpeedups, OneDnnNetworkGivesTheSameRawOutputs) {
  if (!infer::oneDnnNetworkAvailable())
    GTEST_SKIP() << "no oneDNN network (built without it, or YOLO_ONEDNN_NETWORK=0)";
  // YOLOv3 covers the in-place residual adds and three heads; tiny the stride-1 max-pool
  // (padded right and bottom) and two heads; tiny-3l a route back from a head's conv. All:
  // concat of an upsampled route.
  for (const auto& [architecture, size] : std::vector<std::pair<std::string, int>>{
           {"yolov3-tiny", 128}, {"yolov3-tiny", 160}, {"yolov3-tiny-3l", 128}, {"yolov3", 96}}) {
    SCOPED_TRACE(architecture + " at " + std::to_string(size));
    auto net = calibratedNet(architecture, size);
    net->eval();
    const auto x = torch::rand({1, 3, size, size});
    const auto expected = forward(*net, x);  // BatchNorm not folded: the engine folds
    // Direct convolutions only, and with the 3x3 ones as Winograd convolutions.
    for (bool winograd : {false, true}) {
      SCOPED_TRACE(winograd ? "Winograd" : "direct");
      infer::OneDnnNetwork onednn(*net, winograd);
      const auto first = onednn.forward(x);
      ASSERT_EQ(first.size(), expected.size());
      for (std::size_t i = 0; i < first.size(); ++i)
        EXPECT_EQ(first[i].sizes(), expected[i].sizes());
      expectClose(expected, first, reorderingTolerance(*net));
      // A second input through the same primitives (the input is bound per call).
      const auto y = torch::rand({1, 3, size, size});
      expectClose(forward(*net, y), onednn.forward(y), reorderingTolerance(*net));
      EXPECT_THROW(onednn.forward(torch::rand({1, 3, size + 32, size + 32})), c10::Error)
          << "built for one input size";
    }
  }
}

TEST(ComputeThreads, OneCountForLibtorchAndOpenBlas) {
  // Present only when the process's libblas.so.3 is OpenBLAS (as ./quickstart installs it).
  using GetThreads = int (*)();
  const auto openBlasThreads =
      reinterpret_cast<GetThreads>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  for (int threads : {1, 2}) {
    EXPECT_EQ(setComputeThreads(threads), threads);
    EXPECT_EQ(torch::get_num_threads(), threads);
    if (openBlasThreads) {
      EXPECT_EQ(openBlasThreads(), threads) << "OpenBLAS pool";
    }
  }
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  EXPECT_EQ(setComputeThreads(0), cores) << "0: one per core";
  EXPECT_EQ(torch::get_num_threads(), cores);
  setComputeThreads(2);  // as the other tests run
}

TEST_F(InferenceSpeedups, FoldedConvLeavesTheBlockAlone) {
  auto net = calibratedNet("yolov3-tiny", 64);
  const auto block = net->convsInDarknetOrder()[3];
  const auto weight = block->conv->weight.clone();
  const model::FoldedConv f = model::foldedConv(*block);
  EXPECT_TRUE(block->bn);
  EXPECT_TRUE(torch::equal(block->conv->weight, weight));
  EXPECT_EQ(f.weight.sizes(), weight.sizes());
  EXPECT_EQ(f.bias.size(0), weight.size(0));
}

TEST(Letterbox, FloatIntoEqualsLetterboxRgbOver255) {
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{640, 360}, {90, 300}, {128, 128}}) {
    const cv::Mat image = testImage(w, h);
    yolo::LetterboxGeometry expectedGeometry;
    const cv::Mat rgb = yolo::letterboxRgb(image, 128, &expectedGeometry);
    // Byte / 255.f, a true division per value (as toInputTensor's div_), in R, G, B planes.
    cv::Mat expected(3 * 128, 128, CV_32FC1);
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 128; ++y)
        for (int x = 0; x < 128; ++x)
          expected.ptr<float>(c * 128 + y)[x] =
              static_cast<float>(rgb.ptr<uchar>(y)[3 * x + c]) / 255.f;
    cv::Mat actual(3 * 128, 128, CV_32FC1, cv::Scalar::all(-1));
    const auto g = yolo::letterboxRgbFloatInto(image, 128, actual.ptr<float>());
    EXPECT_EQ(g.offsetX, expectedGeometry.offsetX);
    EXPECT_EQ(g.offsetY, expectedGeometry.offsetY);
    EXPECT_EQ(g.resizedWidth, expectedGeometry.resizedWidth);
    EXPECT_EQ(cv::norm(actual, expected, cv::NORM_INF), 0.0) << w << "x" << h;
  }
}

TEST_F(InferenceSpeedups, DetectorGivesTheDetectionsOfTheUnfoldedPipeline) {
  test::ScratchDir dir;
  const int size = 160;
  auto net = calibratedNet("yolov3-tiny", size);
  run::CheckpointHeader header;
  header.config.model = net->spec();
  header.classNames = {"a", "b", "c"};
  run::saveCheckpoint(dir.path() / "last.pt", header, *net, nullptr);
  auto detector = infer::Detector::load(dir.path(), "cpu", 1);

  infer::DetectOptions options;
  options.scoreThreshold = 0.2f;
  const cv::Mat image = testImage(300, 200);
  const auto ours = detector->detect(image, options);

  // The plain pipeline on the unfolded network.
  yolo::LetterboxGeometry g;
  const cv::Mat rgb = yolo::letterboxRgb(image, size, &g);
  std::vector<infer::Detection> reference;
  {
    torch::InferenceMode guard;
    const auto heads = net->forward(infer::toInputTensor({rgb}, torch::kCPU));
    const auto candidates = infer::decodeCandidates(heads, *net).front();
    reference = infer::toDetections(
        infer::postprocess(candidates, g, image.cols, image.rows, options), header.classNames);
  }
  ASSERT_GT(reference.size(), 2u) << "the test image should give some detections";
  // The Detector folds BatchNorm and runs oneDNN's kernels, which differ by CPU: compare
  // what a user sees, not raw digits.
  test::expectSameDetections(ours, reference);
}

TEST_F(InferenceSpeedups, TorchScriptExportMatchesNetworkDecodeAndNms) {
  for (const auto& [architecture, size] : std::vector<std::pair<std::string, int>>{
           {"yolov3-tiny", 128}, {"yolov3-tiny-3l", 128}, {"yolov3", 96}}) {
    SCOPED_TRACE(architecture);
    auto net = calibratedNet(architecture, size);
    const std::vector<std::string> names{"a", "b", "c"};
    model::TorchScriptExportOptions options;
    options.withNms = true;
    options.scoreThreshold = 0.2;
    // Saved and loaded back: what a user gets from the file.
    std::stringstream file;
    model::buildTorchScriptModule(*net, names, options).save(file);
    torch::jit::Module m = torch::jit::load(file);
    EXPECT_EQ(m.attr("architecture").toStringRef(), architecture);
    EXPECT_EQ(m.attr("input_size").toInt(), size);
    EXPECT_EQ(m.attr("class_names").toListRef().size(), 3u);

    const auto x = torch::rand({1, 3, size, size});
    const auto expectedHeads = forward(*net, x);
    torch::InferenceMode guard;
    const auto heads = m.run_method("network", x).toTensorVector();
    expectClose(expectedHeads, heads, reorderingTolerance(*net));

    // decoded(): corners instead of centres, otherwise decodeCandidates' rows.
    const auto decoded = m.run_method("decoded", x).toTensor();
    // Decoded from the module's own heads: the head check above covers the folding, this
    // one the decode arithmetic alone.
    const auto all = infer::decodeCandidates(heads, *net, /*minScore=*/0.f).front();
    ASSERT_EQ(decoded.sizes(), all.sizes());
    const auto c = all.narrow(1, 0, 2), half = all.narrow(1, 2, 2) / 2;
    const auto corners = torch::cat({c - half, c + half, all.narrow(1, 4, 1 + kClasses)}, 1);
    // Relative: untrained boxes reach thousands of pixels.
    EXPECT_TRUE(torch::allclose(decoded, corners, /*rtol=*/1e-4, /*atol=*/1e-3))
        << (decoded - corners).abs().max().item<double>();

    // forward() with NMS: postprocess() with an identity letterbox.
    const auto final = m.forward({x}).toTensor();
    yolo::LetterboxGeometry identity = yolo::LetterboxGeometry::compute(size, size, size);
    infer::DetectOptions detectOptions;
    detectOptions.scoreThreshold = 0.2f;
    const auto expected = infer::postprocess(all, identity, size, size, detectOptions);
    ASSERT_EQ(final.dim(), 2);
    ASSERT_EQ(final.size(1), 6);
    ASSERT_GT(expected.size(), 0);
    ASSERT_EQ(final.size(0), expected.size());
    EXPECT_TRUE(torch::allclose(final.narrow(1, 0, 4), expected.boxes, 1e-4, 1e-3));
    EXPECT_LT((final.select(1, 4) - expected.scores).abs().max().item<double>(), 1e-5);
    EXPECT_TRUE(torch::equal(final.select(1, 5).to(torch::kLong), expected.classes));
  }
}

TEST_F(InferenceSpeedups, TorchScriptExportRejectsWrongClassNamesAndBadInput) {
  auto net = calibratedNet("yolov3-tiny", 64);
  EXPECT_THROW(model::buildTorchScriptModule(*net, {"a"}), std::invalid_argument);
  torch::jit::Module m = model::buildTorchScriptModule(*net, {"a", "b", "c"});
  torch::InferenceMode guard;
  EXPECT_THROW(m.forward({torch::rand({1, 3, 64, 50})}), std::exception);
  EXPECT_THROW(m.forward({torch::rand({2, 3, 64, 64})}), std::exception);
  EXPECT_EQ(m.forward({torch::rand({1, 3, 64, 64})}).toTensor().sizes(),
            (std::vector<int64_t>{3 * (4 * 4 + 2 * 2), 5 + kClasses}));
}
