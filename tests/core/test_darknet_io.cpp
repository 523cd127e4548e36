#include <torch/torch.h>

#include <fstream>
#include <stdexcept>

#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/model/darknet_io.h"
#include "core/model/darknet_layers.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/train/backbone_freeze.h"
#include "core/train/trainer.h"
#include "core/util/atomic_file.h"
#include "tests/core/random_model.h"
#include "tests/core/support.h"

using namespace yolo::model;
using yolo::test::randomModel;
namespace fs = std::filesystem;

namespace {

class DarknetIo : public yolo::test::SeededTest {
 protected:
  void SetUp() override {
    SeededTest::SetUp();
    torch::set_num_threads(2);
  }
  yolo::test::ScratchDir dir;
};

std::vector<torch::Tensor> forward(YoloNetImpl& net, const torch::Tensor& x) {
  torch::NoGradGuard noGrad;
  net.eval();
  return net.forward(x);
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>();
}

std::vector<std::string> names(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back("class" + std::to_string(i));
  return v;
}

std::string readBytes(const fs::path& p) { return yolo::readTextFile(p); }
void writeBytes(const fs::path& p, const std::string& s) {
  std::ofstream(p, std::ios::binary).write(s.data(), static_cast<std::streamsize>(s.size()));
}

/// Error text of `f`, or "" when it did not throw std::runtime_error.
template <class F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

/// Our libtorch heads against OpenCV DNN's Darknet importer on the files saveDarknet wrote.
/// OpenCV names layers conv_<darknet layer index>; the output convs are the layers right before
/// each [yolo] (whose own output is decoded and permuted, so we take the conv's: NCHW like ours).
void expectOpenCvMatches(const std::string& arch, int classes, int size,
                         const std::vector<int>& outputConvLayers, const fs::path& dir) {
  auto net = randomModel(arch, classes, size);
  saveDarknet(*net, names(classes), dir, "model");
  const torch::Tensor input = torch::rand({1, 3, size, size});
  const auto ours = forward(*net, input);
  // The same network as if its BatchNorm used PyTorch's default epsilon 1e-5 (var + 1e-5 =
  // (var + 9e-6) + 1e-6), to show the comparison below would catch it.
  {
    torch::NoGradGuard noGrad;
    for (const ConvBlock& c : net->convsInDarknetOrder())
      if (c->bn) c->bn->running_var.add_(9e-6);
  }
  const auto wrongEps = forward(*net, input);

  cv::dnn::Net cvNet =
      cv::dnn::readNetFromDarknet((dir / "model.cfg").string(), (dir / "model.weights").string());
  cvNet.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  const std::vector<std::string> layerNames = cvNet.getLayerNames();
  std::vector<std::string> wanted;
  for (int l : outputConvLayers) {
    const std::string name = "conv_" + std::to_string(l);
    ASSERT_NE(std::find(layerNames.begin(), layerNames.end(), name), layerNames.end())
        << "OpenCV has no layer " << name;
    wanted.push_back(name);
  }
  const int dims[] = {1, 3, size, size};
  cv::Mat blob(4, dims, CV_32F, input.data_ptr<float>());
  cvNet.setInput(blob);
  std::vector<cv::Mat> outs;
  cvNet.forward(outs, wanted);
  ASSERT_EQ(outs.size(), ours.size());
  double wrongEpsDiff = 0;
  // Darknet lists heads largest stride first; ours are in ascending stride.
  for (std::size_t i = 0; i < outs.size(); ++i) {
    const torch::Tensor& mine = ours[ours.size() - 1 - i];
    const cv::Mat& m = outs[i];
    ASSERT_EQ(m.dims, 4);
    std::vector<int64_t> shape(m.size.p, m.size.p + 4);
    ASSERT_EQ(torch::IntArrayRef(shape), mine.sizes()) << wanted[i];
    const torch::Tensor theirs =
        torch::from_blob(const_cast<float*>(m.ptr<float>()), shape, torch::kFloat32).clone();
    const double spread = mine.std().item<double>();
    EXPECT_GT(spread, 0.1) << "outputs too flat to prove anything";
    const double diff = maxAbsDiff(mine, theirs);
    EXPECT_LT(diff, 1e-4) << arch << " " << wanted[i] << " (output std " << spread << ")";
    std::printf("%s %s: max |libtorch - OpenCV| = %.2e, output std %.3f\n", arch.c_str(),
                wanted[i].c_str(), diff, spread);
    wrongEpsDiff = std::max(wrongEpsDiff, maxAbsDiff(wrongEps[ours.size() - 1 - i], theirs));
  }
  EXPECT_GT(wrongEpsDiff, 1e-3) << "BN epsilon 1e-5 instead of 1e-6 went unnoticed";
  std::printf("%s with BN epsilon 1e-5: max |libtorch - OpenCV| = %.2e\n", arch.c_str(),
              wrongEpsDiff);
}

}  // namespace

TEST_F(DarknetIo, CocoFileSizesMatchOurModels) {
  // The original files: 62,001,757 and 8,858,734 floats after a 20-byte header.
  for (const auto& [arch, floats] :
       {std::pair<std::string, int64_t>{"yolov3", 62001757}, {"yolov3-tiny", 8858734}}) {
    ModelSpec spec = makeModelSpec(arch, 80, 64);
    spec.init = "kaiming";
    const auto net = createModel(spec);
    int64_t n = 0;
    for (const auto& c : net->convsInDarknetOrder())
      for (const auto& p : c->parameters()) n += p.numel();
    for (const auto& c : net->convsInDarknetOrder())
      if (c->bn) n += 2 * c->options.out_channels();  // running mean and var
    EXPECT_EQ(n, floats) << arch;
  }
}

TEST_F(DarknetIo, TheTorchFreeReaderSeesTheNetworksConvs) {
  // readDarknetWeights checks files against shapes derived from the layer list (so the fuzz
  // target needs no libtorch); they must be the network's, conv for conv.
  for (const std::string& arch : architectureNames()) {
    for (int classes : {1, 10, 80}) {
      ModelSpec spec = makeModelSpec(arch, classes, 64);
      spec.init = "kaiming";
      const auto net = createModel(spec);
      const std::vector<ConvBlock> convs = net->convsInDarknetOrder();
      const std::vector<DarknetConvShape> shapes = darknetConvShapes(arch, classes);
      ASSERT_EQ(shapes.size(), convs.size()) << arch;
      for (std::size_t i = 0; i < convs.size(); ++i) {
        const auto& o = convs[i]->options;
        SCOPED_TRACE(arch + " " + shapes[i].describe(static_cast<int>(i)));
        EXPECT_EQ(shapes[i].out, o.out_channels());
        EXPECT_EQ(shapes[i].in, o.in_channels());
        EXPECT_EQ(shapes[i].k, o.kernel_size());
        EXPECT_EQ(shapes[i].stride, o.stride());
        EXPECT_EQ(shapes[i].bn, o.batch_norm());
        EXPECT_EQ(shapes[i].leaky, o.leaky());
      }
      // Each [yolo] layer sees its head at the net's stride for that scale.
      const std::vector<DarknetLayer> layers = darknetLayers(arch, 3 * (5 + classes));
      const std::vector<DarknetLayerOutput> outputs = darknetLayerOutputs(layers);
      int heads = 0;
      for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].type != "yolo") continue;
        ++heads;
        const auto scale = static_cast<std::size_t>(layers[i].mask.at(0) / 3);
        EXPECT_EQ(outputs[i].stride, net->strides().at(scale)) << arch << " layer " << i;
        EXPECT_EQ(outputs[i].channels, 3 * (5 + classes)) << arch << " layer " << i;
      }
      EXPECT_EQ(heads, static_cast<int>(net->strides().size())) << arch;
    }
  }
}

TEST_F(DarknetIo, OpenCvReadsOurTinyAndComputesTheSameHeads) {
  expectOpenCvMatches("yolov3-tiny", 7, 320, {15, 22}, dir.path());
}

TEST_F(DarknetIo, OpenCvReadsOurTiny3lAndComputesTheSameHeads) {
  expectOpenCvMatches("yolov3-tiny-3l", 7, 320, {15, 22, 29}, dir.path());
}

TEST_F(DarknetIo, OpenCvReadsOurYoloV3AndComputesTheSameHeads) {
  expectOpenCvMatches("yolov3", 3, 256, {81, 93, 105}, dir.path());
}

TEST_F(DarknetIo, RoundTripGivesIdenticalOutputs) {
  for (const std::string& arch : architectureNames()) {
    auto a = randomModel(arch, 5, 128);
    saveDarknet(*a, names(5), dir.path(), arch);
    const DarknetCfg cfg = readDarknetCfg(dir.path() / (arch + ".cfg"));
    EXPECT_EQ(cfg.spec.architecture, arch);
    EXPECT_EQ(cfg.spec.numClasses, 5);
    EXPECT_EQ(cfg.spec.inputSize, 128);
    EXPECT_EQ(cfg.spec.anchors, a->anchors());

    DarknetLoadReport report;
    auto b = loadDarknet(dir.path() / (arch + ".cfg"), dir.path() / (arch + ".weights"), &report);
    EXPECT_EQ(report.skippedCount(), 0);
    EXPECT_EQ(report.loadedCount(), static_cast<int>(a->convsInDarknetOrder().size()));
    EXPECT_EQ(report.header.seen, 0u);
    const torch::Tensor x = torch::rand({1, 3, 128, 128});
    const auto ya = forward(*a, x), yb = forward(*b, x);
    for (std::size_t s = 0; s < ya.size(); ++s) EXPECT_TRUE(torch::equal(ya[s], yb[s])) << arch;
    EXPECT_EQ(readBytes(dir.path() / (arch + ".names")).substr(0, 7), "class0\n");
  }
}

TEST_F(DarknetIo, ReadsThe32BitSeenHeaderVariant) {
  auto a = randomModel("yolov3-tiny", 2, 64);
  DarknetWeightsHeader old;
  old.major = 0;
  old.minor = 1;
  old.seen = 12345;
  EXPECT_FALSE(old.seenIs64Bit());
  EXPECT_EQ(old.bytes(), 16u);
  saveDarknetWeights(*a, dir.path() / "old.weights", old);
  auto b = randomModel("yolov3-tiny", 2, 64);
  const DarknetLoadReport report = loadDarknetWeights(*b, dir.path() / "old.weights");
  EXPECT_EQ(report.header.minor, 1);
  EXPECT_EQ(report.header.seen, 12345u);
  const torch::Tensor x = torch::rand({1, 3, 64, 64});
  EXPECT_TRUE(torch::equal(forward(*a, x)[0], forward(*b, x)[0]));
  // major >= 1000 also means a 32-bit seen (Darknet's guard against byte-swapped files).
  DarknetWeightsHeader odd;
  odd.major = 1000;
  EXPECT_FALSE(odd.seenIs64Bit());
}

TEST_F(DarknetIo, ErrorsSayWhatWasExpectedAndLeaveTheModelUntouched) {
  auto source = randomModel("yolov3-tiny", 4, 64);
  const fs::path good = dir.path() / "good.weights";
  saveDarknetWeights(*source, good);
  const std::string bytes = readBytes(good);

  auto target = randomModel("yolov3-tiny", 4, 64);
  const torch::Tensor x = torch::rand({1, 3, 64, 64});
  const torch::Tensor before = forward(*target, x)[1].clone();
  auto unchanged = [&] { return torch::equal(forward(*target, x)[1], before); };

  // Truncated: names the layer and the bytes missing.
  const fs::path cut = dir.path() / "cut.weights";
  writeBytes(cut, bytes.substr(0, bytes.size() - 1000));
  std::string e = errorOf([&] { loadDarknetWeights(*target, cut); });
  EXPECT_NE(e.find("truncated at conv 12"), std::string::npos) << e;
  EXPECT_NE(e.find("expected"), std::string::npos) << e;
  EXPECT_TRUE(unchanged());

  // Trailing bytes.
  const fs::path extra = dir.path() / "extra.weights";
  writeBytes(extra, bytes + std::string(8, '\0'));
  e = errorOf([&] { loadDarknetWeights(*target, extra); });
  EXPECT_NE(e.find("8 extra bytes"), std::string::npos) << e;
  EXPECT_TRUE(unchanged());

  // Shorter than a header.
  const fs::path tiny = dir.path() / "tiny.weights";
  writeBytes(tiny, "abc");
  EXPECT_NE(errorOf([&] { loadDarknetWeights(*target, tiny); }).find("too short"),
            std::string::npos);

  // Wrong model: tiny weights into YOLOv3 say so.
  auto v3 = randomModel("yolov3", 4, 64);
  e = errorOf([&] { loadDarknetWeights(*v3, good); });
  EXPECT_NE(e.find("truncated"), std::string::npos) << e;
  EXPECT_NE(e.find("fits yolov3-tiny weights for 4 classes"), std::string::npos) << e;

  // Wrong class count, strict.
  auto nine = randomModel("yolov3-tiny", 9, 64);
  e = errorOf([&] { loadDarknetWeights(*nine, good); });
  EXPECT_NE(e.find("wrong class count"), std::string::npos) << e;
  EXPECT_NE(e.find("4 classes"), std::string::npos) << e;
  EXPECT_NE(e.find("9 classes"), std::string::npos) << e;

  EXPECT_TRUE(errorOf([&] { loadDarknetWeights(*target, good); }).empty());
}

TEST_F(DarknetIo, TransferLoadSkipsTheOutputConvsOnly) {
  auto coco = randomModel("yolov3-tiny", 80, 64);
  const fs::path file = dir.path() / "coco.weights";
  saveDarknetWeights(*coco, file);

  auto ours = randomModel("yolov3-tiny", 10, 64);
  const auto convs = ours->convsInDarknetOrder();
  std::vector<torch::Tensor> outBefore;
  for (const auto& c : convs)
    if (!c->bn) outBefore.push_back(c->conv->weight.clone());

  DarknetLoadOptions transfer;
  transfer.skipMismatchedLayers = true;
  const DarknetLoadReport report = loadDarknetWeights(*ours, file, transfer);
  EXPECT_EQ(report.fileNumClasses, 80);
  EXPECT_EQ(report.loadedCount(), 11);
  EXPECT_EQ(report.skippedCount(), 2);
  EXPECT_NE(report.summary().find("skipped conv 9"), std::string::npos) << report.summary();
  EXPECT_NE(report.summary().find("255 filters"), std::string::npos) << report.summary();

  const auto cocoConvs = coco->convsInDarknetOrder();
  std::size_t out = 0;
  for (std::size_t i = 0; i < convs.size(); ++i) {
    if (convs[i]->bn) {
      EXPECT_TRUE(torch::equal(convs[i]->conv->weight, cocoConvs[i]->conv->weight)) << i;
      EXPECT_TRUE(torch::equal(convs[i]->bn->running_var, cocoConvs[i]->bn->running_var)) << i;
      EXPECT_TRUE(report.layers[i].loaded);
    } else {
      EXPECT_TRUE(torch::equal(convs[i]->conv->weight, outBefore[out++])) << i;
      EXPECT_FALSE(report.layers[i].loaded);
    }
  }
}

TEST_F(DarknetIo, CfgReaderTakesTheStandardTinyCfgAndRejectsStrangers) {
  // yolov3-tiny.cfg as Darknet ships it (comments and training keys included, masks 3,4,5 / 1,2,3).
  auto net = randomModel("yolov3-tiny", 80, 416);
  std::string text = darknetCfgText(*net);
  const std::string ours = "mask=0,1,2";
  text.replace(text.find(ours), ours.size(), "mask = 1,2,3");
  const DarknetCfg cfg = parseDarknetCfg(text, "yolov3-tiny.cfg");
  EXPECT_EQ(cfg.spec.architecture, "yolov3-tiny");
  EXPECT_EQ(cfg.spec.numClasses, 80);
  EXPECT_EQ(cfg.spec.inputSize, 416);
  ASSERT_EQ(cfg.spec.anchors.size(), 2u);
  EXPECT_EQ(cfg.spec.anchors[0][0], (std::array<float, 2>{23, 27}));  // stride 16, mask 1,2,3
  EXPECT_EQ(cfg.spec.anchors[1][2], (std::array<float, 2>{344, 319}));
  EXPECT_EQ(cfg.masks, (std::vector<std::vector<int>>{{3, 4, 5}, {1, 2, 3}}));

  std::string unknown = text + "\n[dropout]\nprobability=.5\n";
  std::string e = errorOf([&] { parseDarknetCfg(unknown, "x.cfg"); });
  EXPECT_NE(e.find("unknown section [dropout]"), std::string::npos) << e;
  EXPECT_NE(e.find("x.cfg:"), std::string::npos) << e;

  std::string badFilters = text;
  badFilters.replace(badFilters.find("filters=255"), 11, "filters=254");
  e = errorOf([&] { parseDarknetCfg(badFilters, "x.cfg"); });
  EXPECT_NE(e.find("expects [convolutional] filters=255"), std::string::npos) << e;
}

TEST_F(DarknetIo, TrainerStartsFromDarknetWeightsWithTheBackboneFrozen) {
  // Six 64x64 images with one dark square each (class 1 of 2).
  const fs::path data = dir.path() / "data";
  fs::create_directories(data);
  std::ofstream train(data / "train.txt");
  for (int i = 0; i < 6; ++i) {
    cv::Mat image(64, 64, CV_8UC3, cv::Scalar::all(255));
    const int x = 4 + 5 * i, y = 8 + 3 * i;
    cv::rectangle(image, cv::Rect(x, y, 20, 20), cv::Scalar::all(0), cv::FILLED);
    const std::string name = std::to_string(i) + ".png";
    cv::imwrite((data / name).string(), image);
    train << name << " " << x << "," << y << "," << x + 20 << "," << y + 20 << ",1\n";
  }
  train.close();
  std::ofstream(data / "names.txt") << "a\nb\n";

  auto coco = randomModel("yolov3-tiny", 80, 64);
  saveDarknetWeights(*coco, data / "coco.weights");

  yolo::run::RunConfig c = yolo::run::preset("cpu-fast");
  c.model.architecture = "yolov3-tiny";  // the COCO weights' model
  c.model.anchors = defaultAnchors("yolov3-tiny");
  c.trainAnnotations = (data / "train.txt").string();
  c.classesFile = (data / "names.txt").string();
  c.model.numClasses = 2;
  c.model.inputSize = 64;
  c.batchSize = 2;
  c.epochs = 1;
  c.warmupEpochs = 0;
  c.emaDecay = 0;  // last.pt's "model" is then the trained weights themselves
  c.dataWorkers = 1;
  c.evalEveryEpochs = 0;
  c.pretrainedWeights = (data / "coco.weights").string();
  c.freezeBackboneEpochs = 1;

  std::vector<yolo::train::TrainingEvent> events;
  yolo::train::TrainingObserver observer;
  observer.onEvent = [&](const yolo::train::TrainingEvent& e) { events.push_back(e); };
  yolo::train::Trainer trainer(c, dir.path() / "run");
  ASSERT_EQ(trainer.run(observer), yolo::train::TrainingOutcome::kFinished);

  auto has = [&](const std::string& event, const std::string& text) {
    for (const auto& e : events)
      if (e.event == event && e.message.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has("pretrained", "loaded 11 of 13 convs")) << "no pretrained report";
  EXPECT_TRUE(has("backbone_frozen", "7 convs"));

  ModelSpec spec = c.model;
  spec.anchors = defaultAnchors(spec.architecture);
  auto trained = createModel(spec);
  yolo::run::loadCheckpoint(dir.path() / "run" / "last.pt", *trained, nullptr);
  const auto ours = trained->convsInDarknetOrder(), theirs = coco->convsInDarknetOrder();
  for (int i = 0; i < yolo::train::backboneConvCount("yolov3-tiny"); ++i) {
    EXPECT_TRUE(torch::equal(ours[i]->conv->weight, theirs[i]->conv->weight)) << "conv " << i;
    EXPECT_TRUE(torch::equal(ours[i]->bn->weight, theirs[i]->bn->weight)) << "conv " << i;
  }
  // The head trained (conv 7 is the first after the backbone).
  EXPECT_FALSE(torch::equal(ours[7]->conv->weight, theirs[7]->conv->weight));
}
