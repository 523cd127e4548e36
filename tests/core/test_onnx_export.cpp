// ONNX export, proved by an implementation we did not write: OpenCV DNN's ONNX importer runs
// the exported graph and gives our network's raw heads, and our decoding of them, within
// float rounding. (ONNX Runtime runs the same files in tests/cli/check_onnx_runtime.js.)

#include <torch/torch.h>

#include <opencv2/dnn.hpp>

#include "core/model/decode.h"
#include "core/model/onnx_export.h"
#include "tests/core/random_model.h"
#include "tests/core/support.h"

using namespace yolo::model;
using yolo::test::randomModel;

namespace {

class OnnxExport : public yolo::test::SeededTest {
 protected:
  void SetUp() override {
    SeededTest::SetUp();
    torch::set_num_threads(2);
    if (!onnxExportAvailable()) GTEST_FAIL() << "this build has no ONNX export (libonnx-dev)";
  }
};

std::vector<std::string> names(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back("class" + std::to_string(i));
  return v;
}

torch::Tensor toTensor(const cv::Mat& m) {
  std::vector<int64_t> shape(m.size.p, m.size.p + m.dims);
  return torch::from_blob(const_cast<float*>(m.ptr<float>()), shape, torch::kFloat32).clone();
}

/// OpenCV's outputs `names` of `model` (serialised ONNX) for `input`.
std::vector<torch::Tensor> runWithOpenCv(const std::string& model, const torch::Tensor& input,
                                         const std::vector<std::string>& names) {
  cv::dnn::Net net = cv::dnn::readNetFromONNX(model.data(), model.size());
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  const int dims[] = {1, 3, static_cast<int>(input.size(2)), static_cast<int>(input.size(3))};
  net.setInput(cv::Mat(4, dims, CV_32F, input.data_ptr<float>()));
  std::vector<cv::Mat> outs;
  net.forward(outs, names);
  std::vector<torch::Tensor> tensors;
  for (const cv::Mat& m : outs) tensors.push_back(toTensor(m));
  return tensors;
}

/// Our decoding of the heads as the export's "candidates" rows: corners, objectness, classes.
torch::Tensor ourCandidates(const YoloNetImpl& net, const std::vector<torch::Tensor>& heads) {
  std::vector<torch::Tensor> parts;
  for (std::size_t s = 0; s < heads.size(); ++s) {
    const torch::Tensor d = decode(heads[s], net.anchors()[s], net.strides()[s]);
    const auto centre = d.narrow(-1, 0, 2), half = d.narrow(-1, 2, 2) * 0.5;
    parts.push_back(torch::cat({centre - half, centre + half, d.narrow(-1, 4, d.size(-1) - 4)}, -1)
                        .reshape({1, -1, d.size(-1)}));
  }
  return torch::cat(parts, 1);
}

// The tolerance: float32 sums over up to 3 * 3 * 1024 products, in another order than
// libtorch's, differ by a few units of the last place of values of order 1, times the depth
// (up to 75 convs): well under 1e-4. A wrong padding, activation, BatchNorm or channel order
// moves outputs by 1e-2 and more.
constexpr double kTolerance = 1e-4;

void expectOpenCvRunsItAsOurNetwork(const std::string& architecture, int size) {
  SCOPED_TRACE(architecture);
  const int classes = 3;
  auto net = randomModel(architecture, classes, size);
  const torch::Tensor input = torch::rand({1, 3, size, size});
  std::vector<torch::Tensor> heads;
  {
    torch::NoGradGuard noGrad;
    heads = net->forward(input);
  }

  OnnxExportOptions raw;
  raw.head = OnnxExportOptions::Head::raw;
  std::vector<std::string> headNames;
  for (int stride : net->strides()) headNames.push_back("head_s" + std::to_string(stride));
  const auto theirHeads =
      runWithOpenCv(buildOnnxModel(*net, names(classes), raw), input, headNames);
  ASSERT_EQ(theirHeads.size(), heads.size());
  for (std::size_t i = 0; i < heads.size(); ++i) {
    ASSERT_EQ(theirHeads[i].sizes(), heads[i].sizes()) << "head " << i;
    EXPECT_GT(heads[i].std().item<double>(), 0.1) << "outputs too flat to prove anything";
    const double diff = (theirHeads[i] - heads[i]).abs().max().item<double>();
    EXPECT_LT(diff, kTolerance) << "head " << i;
    std::printf("%s raw head %zu: max |libtorch - OpenCV ONNX| = %.2e\n", architecture.c_str(), i,
                diff);
  }

  const auto theirCandidates = runWithOpenCv(
      buildOnnxModel(*net, names(classes), OnnxExportOptions{}), input, {"candidates"});
  ASSERT_EQ(theirCandidates.size(), 1u);
  const torch::Tensor ours = ourCandidates(*net, heads);
  ASSERT_EQ(theirCandidates[0].sizes(), ours.sizes());
  // Corners are input pixels, sums of a centre and half a size of up to a few hundred: their
  // rounding scales with the input size. Objectness and class probabilities are of order 1.
  const torch::Tensor diff = (theirCandidates[0] - ours).abs();
  const double boxDiff = diff.narrow(-1, 0, 4).max().item<double>();
  const double probabilityDiff = diff.narrow(-1, 4, diff.size(-1) - 4).max().item<double>();
  EXPECT_LT(boxDiff, kTolerance * size);
  EXPECT_LT(probabilityDiff, kTolerance);
  std::printf("%s candidates: max |ours - OpenCV ONNX| = %.2e px, %.2e in probabilities\n",
              architecture.c_str(), boxDiff, probabilityDiff);
}

}  // namespace

TEST_F(OnnxExport, OpenCvRunsTheTinyModelsAsWeDo) {
  expectOpenCvRunsItAsOurNetwork("yolov3-tiny", 160);
  expectOpenCvRunsItAsOurNetwork("yolov3-tiny-3l", 128);
}

TEST_F(OnnxExport, OpenCvRunsYoloV3AsWeDo) { expectOpenCvRunsItAsOurNetwork("yolov3", 96); }

TEST_F(OnnxExport, EveryVariantPassesTheCheckerAndCarriesItsClassNames) {
  auto net = randomModel("yolov3-tiny", 2, 64);
  for (const auto head : {OnnxExportOptions::Head::raw, OnnxExportOptions::Head::decoded,
                          OnnxExportOptions::Head::nms}) {
    OnnxExportOptions options;
    options.head = head;
    options.dynamicBatch = head == OnnxExportOptions::Head::decoded;
    const std::string bytes = buildOnnxModel(*net, {"cat", "dog"}, options);  // checked inside
    EXPECT_NE(bytes.find("cat\ndog\n"), std::string::npos);
    EXPECT_EQ(bytes.find("NonMaxSuppression") != std::string::npos,
              head == OnnxExportOptions::Head::nms);
  }
  EXPECT_THROW(buildOnnxModel(*net, {"only one"}), std::invalid_argument);
}
