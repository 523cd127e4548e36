// ONNX export, proved by implementations we did not write: OpenCV DNN's ONNX importer runs
// the exported graph and gives our network's raw heads, and our decoding of them, within
// float rounding; ONNX Runtime (onnxruntime-node, where the build found Node.js) does too,
// and its NonMaxSuppression variant gives the detections our post-processing gives.

#include <torch/torch.h>

#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/infer/detector.h"
#include "core/infer/postprocess.h"
#include "core/model/decode.h"
#include "core/model/onnx_export.h"
#include "core/run/checkpoint.h"
#include "core/util/image_file.h"
#include "core/util/letterbox.h"
#include "tests/core/random_model.h"
#include "tests/core/support.h"

using namespace yolo::model;
namespace fs = std::filesystem;
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

#ifdef YOLO_NODE_FOR_ONNX_RUNTIME
namespace {

/// Runs `model` on `input` with ONNX Runtime through Node.js; outputs by name.
std::map<std::string, torch::Tensor> runWithOnnxRuntime(const fs::path& model,
                                                        const torch::Tensor& input,
                                                        const fs::path& dir) {
  const fs::path moduleDir = YOLO_ONNX_RUNTIME_MODULE;
  if (!fs::is_regular_file(moduleDir / "package.json"))
    throw std::runtime_error(moduleDir.string() +
                             " is missing: run ./quickstart test (or tests/onnxruntime/fetch.sh)");
  const fs::path inputFile = dir / "input.f32", outputFile = dir / "outputs.json";
  const torch::Tensor c = input.contiguous();
  std::ofstream(inputFile, std::ios::binary)
      .write(reinterpret_cast<const char*>(c.data_ptr<float>()),
             static_cast<std::streamsize>(c.numel() * sizeof(float)));
  std::string dims;
  for (int64_t d : c.sizes()) dims += (dims.empty() ? "" : ",") + std::to_string(d);
  const std::string command = std::string("'") + YOLO_NODE_FOR_ONNX_RUNTIME + "' '" +
                              YOLO_ONNX_RUNTIME_SCRIPT + "' '" + moduleDir.string() + "' '" +
                              model.string() + "' '" + inputFile.string() + "' " + dims + " '" +
                              outputFile.string() + "'";
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
  const nlohmann::json outputs = nlohmann::json::parse(std::ifstream(outputFile));
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& [name, value] : outputs.items()) {
    const std::vector<float> data = value["data"].get<std::vector<float>>();
    tensors[name] = torch::tensor(data).reshape(value["dims"].get<std::vector<int64_t>>());
  }
  return tensors;
}

/// Detections as rows x1, y1, x2, y2, score, class, by descending score.
torch::Tensor byScore(const torch::Tensor& rows) {
  return rows.index_select(0, std::get<1>(rows.select(1, 4).sort(0, /*descending=*/true)));
}

}  // namespace

TEST_F(OnnxExport, OnnxRuntimeRunsItAsOurNetworkAndDetector) {
  yolo::test::ScratchDir dir;
  const int size = 128, classes = 3;
  auto net = randomModel("yolov3-tiny", classes, size);
  // An image of the input's size, so the letterbox only converts it: the network input
  // yolo-cli detect makes of it is the one ONNX Runtime gets.
  cv::Mat image(size, size, CV_8UC3);
  cv::randu(image, 0, 255);
  const fs::path imageFile = dir.path() / "image.png";
  ASSERT_TRUE(cv::imwrite(imageFile.string(), image));
  const torch::Tensor input =
      yolo::infer::toInputTensor({yolo::letterboxRgb(image, size)}, torch::kCPU);
  std::vector<torch::Tensor> heads;
  {
    torch::NoGradGuard noGrad;
    heads = net->forward(input);
  }

  exportOnnx(*net, names(classes), dir.path() / "decoded.onnx");
  const torch::Tensor candidates =
      runWithOnnxRuntime(dir.path() / "decoded.onnx", input, dir.path()).at("candidates");
  const torch::Tensor ours = ourCandidates(*net, heads);
  ASSERT_EQ(candidates.sizes(), ours.sizes());
  const torch::Tensor diff = (candidates - ours).abs();
  EXPECT_LT(diff.narrow(-1, 0, 4).max().item<double>(), kTolerance * size);
  EXPECT_LT(diff.narrow(-1, 4, diff.size(-1) - 4).max().item<double>(), kTolerance);

  // Final detections: ONNX's NonMaxSuppression against the Detector yolo-cli detect runs,
  // loaded from a checkpoint of the same network, on the image file.
  OnnxExportOptions withNms;
  withNms.head = OnnxExportOptions::Head::nms;
  exportOnnx(*net, names(classes), dir.path() / "nms.onnx", withNms);
  const torch::Tensor theirs =
      byScore(runWithOnnxRuntime(dir.path() / "nms.onnx", input, dir.path())
                  .at("detections")
                  .narrow(1, 1, 6));
  yolo::run::CheckpointHeader header;
  header.config.model = net->spec();
  header.classNames = names(classes);
  yolo::run::saveCheckpoint(dir.path() / "last.pt", header, *net, /*optimizer=*/nullptr);
  auto detector = yolo::infer::Detector::load(dir.path() / "last.pt", "cpu", /*threads=*/2);
  yolo::infer::DetectOptions options;
  options.scoreThreshold = withNms.scoreThreshold;
  options.iouThreshold = withNms.iouThreshold;
  options.maxDetections = 0;
  std::vector<float> rows;
  for (const auto& d : detector->detect(yolo::readImageOrThrow(imageFile), options))
    rows.insert(rows.end(), {d.x1, d.y1, d.x2, d.y2, d.score, static_cast<float>(d.classId)});
  const torch::Tensor expected = byScore(torch::tensor(rows).reshape({-1, 6}));
  ASSERT_GT(expected.size(0), 3) << "too few detections to prove anything";
  ASSERT_EQ(theirs.sizes(), expected.sizes());
  const torch::Tensor rowDiff = (theirs - expected).abs();
  EXPECT_LT(rowDiff.narrow(1, 0, 4).max().item<double>(), kTolerance * size);
  EXPECT_LT(rowDiff.narrow(1, 4, 1).max().item<double>(), kTolerance);
  EXPECT_EQ(rowDiff.narrow(1, 5, 1).max().item<double>(), 0.0) << "classes differ";
  std::printf("ONNX Runtime: %lld detections, as the Detector's\n",
              static_cast<long long>(theirs.size(0)));
}
#endif
