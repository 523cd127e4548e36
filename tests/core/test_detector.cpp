// Detector end to end on a checkpoint of a fresh tiny model, the letterbox round trip of
// post-processing, and the trainer's evaluateNetwork against the Detector's path.

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

#include "core/eval/evaluate_model.h"
#include "core/eval/evaluate_network.h"
#include "core/infer/detection_explanation.h"
#include "core/infer/detector.h"
#include "core/infer/draw.h"
#include "core/infer/postprocess.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/util/image_file.h"
#include "core/util/letterbox.h"
#include "tests/core/support.h"

using namespace yolo;
using namespace yolo::infer;
namespace fs = std::filesystem;

namespace {

constexpr int kClasses = 10;
constexpr int kInput = 128;

/// A checkpoint of a freshly initialised yolov3-tiny at 128: outputs are near-constant
/// (objectness ~ class probabilities ~ 0.5), so every image gives plenty of candidates.
fs::path writeTinyCheckpoint(const fs::path& dir) {
  run::CheckpointHeader header;
  header.config.model = model::makeModelSpec("yolov3-tiny", kClasses, kInput);
  for (int c = 0; c < kClasses; ++c) header.classNames.push_back("digit" + std::to_string(c));
  auto net = model::createModel(header.config.model);
  const fs::path path = dir / "last.pt";
  run::saveCheckpoint(path, header, *net, /*optimizer=*/nullptr);
  return path;
}

void expectInside(const std::vector<Detection>& detections, int width, int height) {
  for (const Detection& d : detections) {
    EXPECT_GE(d.x1, 0.f);
    EXPECT_GE(d.y1, 0.f);
    EXPECT_LE(d.x2, static_cast<float>(width));
    EXPECT_LE(d.y2, static_cast<float>(height));
    EXPECT_LT(d.x1, d.x2);
    EXPECT_LT(d.y1, d.y2);
    EXPECT_GE(d.classId, 0);
    EXPECT_LT(d.classId, kClasses);
    EXPECT_EQ(d.className, "digit" + std::to_string(d.classId));
    EXPECT_GT(d.score, 0.f);
    EXPECT_LE(d.score, 1.f);
  }
}

class DetectorTest : public test::SeededTest {
 protected:
  void SetUp() override {
    SeededTest::SetUp();
    checkpoint_ = writeTinyCheckpoint(dir_.path());
  }
  test::ScratchDir dir_;
  fs::path checkpoint_;
};

}  // namespace

TEST(Letterbox, CoordinatesRoundTripForNonSquareImages) {
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{640, 360}, {200, 500}, {37, 101}}) {
    const LetterboxGeometry g = LetterboxGeometry::compute(w, h, 416);
    for (float x : {0.f, 1.f, w / 3.f, static_cast<float>(w)})
      EXPECT_NEAR(g.toSourceX(g.toNetworkX(x)), x, 1e-3f * w);
    for (float y : {0.f, 7.f, h / 2.f, static_cast<float>(h)})
      EXPECT_NEAR(g.toSourceY(g.toNetworkY(y)), y, 1e-3f * h);
  }
}

namespace {

// Where the 50% level of an edge lies between pixel centres of `values` (one row or column of
// the letterboxed image), in continuous network coordinates (pixel i spans [i, i + 1)).
std::vector<float> edgeCrossings(const std::vector<float>& values, float level) {
  std::vector<float> crossings;
  for (size_t i = 0; i + 1 < values.size(); ++i) {
    const float a = values[i], b = values[i + 1];
    if ((a < level) != (b < level))
      crossings.push_back(static_cast<float>(i) + 0.5f + (level - a) / (b - a));
  }
  return crossings;
}

}  // namespace

TEST(Letterbox, MapsSourceEdgesToWhereTheResizedImageHasThem) {
  // Small images upscaled into 416: an edge becomes a ramp whose 50% level is where
  // cv::resize put the source edge, to a few hundredths of a pixel. Sizes whose short side
  // is truncated by most of a pixel (31x30: 402.6 -> 402 rows), where a single scale for
  // both axes would be half a network pixel off at the far edge.
  for (const auto& [w, h] : std::vector<std::pair<int, int>>{{31, 30}, {30, 31}, {23, 41}}) {
    SCOPED_TRACE(std::to_string(w) + "x" + std::to_string(h));
    const int x1 = w / 4, x2 = w - 2, y1 = h / 4, y2 = h - 2;  // white on black, [x1, x2)
    cv::Mat image(h, w, CV_8UC3, cv::Scalar::all(0));
    image(cv::Rect(x1, y1, x2 - x1, y2 - y1)).setTo(cv::Scalar::all(255));
    LetterboxGeometry g;
    const cv::Mat boxed = letterboxRgb(image, 416, &g);
    EXPECT_EQ(std::max(g.resizedWidth, g.resizedHeight), 416);

    const int row = static_cast<int>(g.toNetworkY((y1 + y2) / 2.f));
    const int column = static_cast<int>(g.toNetworkX((x1 + x2) / 2.f));
    std::vector<float> across, down;
    for (int x = g.offsetX; x < g.offsetX + g.resizedWidth; ++x)
      across.push_back(boxed.at<cv::Vec3b>(row, x)[0]);
    for (int y = g.offsetY; y < g.offsetY + g.resizedHeight; ++y)
      down.push_back(boxed.at<cv::Vec3b>(y, column)[0]);
    const auto xs = edgeCrossings(across, 127.5f), ys = edgeCrossings(down, 127.5f);
    ASSERT_EQ(xs.size(), 2u);
    ASSERT_EQ(ys.size(), 2u);
    EXPECT_NEAR(xs[0] + g.offsetX, g.toNetworkX(x1), 0.1f);
    EXPECT_NEAR(xs[1] + g.offsetX, g.toNetworkX(x2), 0.1f);
    EXPECT_NEAR(ys[0] + g.offsetY, g.toNetworkY(y1), 0.1f);
    EXPECT_NEAR(ys[1] + g.offsetY, g.toNetworkY(y2), 0.1f);
    // And back: the source edges, to a hundredth of a source pixel.
    EXPECT_NEAR(g.toSourceY(ys[1] + g.offsetY), y2, 0.01f);
    EXPECT_NEAR(g.toSourceX(xs[1] + g.offsetX), x2, 0.01f);
  }
}

TEST(Postprocess, UndoesTheLetterboxAndClips) {
  // A 640x360 image in a 416 input: scale 0.65, 416x234 placed at y offset 91.
  const LetterboxGeometry g = LetterboxGeometry::compute(640, 360, 416);
  ASSERT_EQ(g.offsetY, 91);
  const auto row = [&](float x1, float y1, float x2, float y2, float obj, int cls) {
    std::vector<float> r{
        (g.toNetworkX(x1) + g.toNetworkX(x2)) / 2, (g.toNetworkY(y1) + g.toNetworkY(y2)) / 2,
        g.toNetworkX(x2) - g.toNetworkX(x1), g.toNetworkY(y2) - g.toNetworkY(y1), obj};
    for (int c = 0; c < 3; ++c) r.push_back(c == cls ? 0.9f : 0.05f);
    return r;
  };
  std::vector<float> flat;
  for (const auto& r : {row(100, 50, 180, 150, 0.9f, 1),     // well inside
                        row(600, 300, 700, 420, 0.8f, 2),    // crosses the bottom-right corner
                        row(10, 10, 60, 60, 0.1f, 0),        // score 0.09: below threshold
                        row(300, 100, 300.f, 200, 0.9f, 0),  // zero width: degenerate
                        row(-50, 400, -10, 450, 0.9f, 0)})   // entirely outside: degenerate
    flat.insert(flat.end(), r.begin(), r.end());
  const auto candidates = torch::tensor(flat).view({5, 8});

  DetectOptions options;
  options.scoreThreshold = 0.3f;
  const auto out = toDetections(postprocess(candidates, g, 640, 360, options), {"a", "b", "c"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NEAR(out[0].x1, 100, 1e-3);
  EXPECT_NEAR(out[0].y1, 50, 1e-3);
  EXPECT_NEAR(out[0].x2, 180, 1e-3);
  EXPECT_NEAR(out[0].y2, 150, 1e-3);
  EXPECT_NEAR(out[0].score, 0.81f, 1e-6);
  EXPECT_EQ(out[0].className, "b");
  EXPECT_NEAR(out[1].x1, 600, 1e-3);
  EXPECT_NEAR(out[1].y1, 300, 1e-3);
  EXPECT_FLOAT_EQ(out[1].x2, 640);
  EXPECT_FLOAT_EQ(out[1].y2, 360);

  options.maxDetections = 1;
  EXPECT_EQ(postprocess(candidates, g, 640, 360, options).size(), 1);
  options.maxDetections = 100;
  options.maxBoxScale = 70;  // sqrt(80 * 100) = 89 is too big; sqrt(40 * 60) = 49 is not
  const auto small = toDetections(postprocess(candidates, g, 640, 360, options), {});
  ASSERT_EQ(small.size(), 1u);
  EXPECT_EQ(small[0].className, "2");
}

TEST_F(DetectorTest, RunsOnGrayBgraAnd16BitImagesAndKeepsBoxesInside) {
  auto detector = Detector::load(dir_.path(), "cpu", /*threads=*/1);
  EXPECT_EQ(detector->checkpointPath(), checkpoint_);
  EXPECT_EQ(detector->inputSize(), kInput);
  ASSERT_EQ(detector->classNames().size(), static_cast<size_t>(kClasses));

  DetectOptions options;
  options.scoreThreshold = 0.05f;
  cv::Mat gray(100, 150, CV_8UC1);
  cv::randu(gray, 0, 255);
  cv::Mat bgra(300, 200, CV_8UC4);
  cv::randu(bgra, 0, 255);
  cv::Mat deep(64, 256, CV_16UC3);
  cv::randu(deep, 0, 65535);
  cv::Mat deepGray(50, 33, CV_16UC1, cv::Scalar(40000));
  for (const cv::Mat& image : {gray, bgra, deep, deepGray}) {
    const auto detections = detector->detect(image, options);
    EXPECT_FALSE(detections.empty()) << image.cols << "x" << image.rows;
    EXPECT_LE(detections.size(), 100u);
    expectInside(detections, image.cols, image.rows);
    for (size_t i = 1; i < detections.size(); ++i)
      EXPECT_GE(detections[i - 1].score, detections[i].score);

    // Annotating works on the image's BGR version.
    cv::Mat canvas = toBgr8(image).clone();
    drawDetections(canvas, detections);
    EXPECT_EQ(canvas.size(), image.size());
  }
}

TEST_F(DetectorTest, RefilterNeverReturnsMoreAtHigherThresholds) {
  auto detector = Detector::load(checkpoint_, "cpu", 1);
  cv::Mat image(240, 320, CV_8UC3);
  cv::randu(image, 0, 255);
  DetectOptions options;
  options.scoreThreshold = 0.01f;
  options.maxDetections = 0;
  const auto first = detector->detect(image, options);
  const auto again = detector->refilter(options);
  ASSERT_EQ(first.size(), again.size());
  for (size_t i = 0; i < first.size(); ++i) EXPECT_EQ(first[i].score, again[i].score);

  size_t previous = first.size();
  for (float threshold : {0.05f, 0.1f, 0.2f, 0.24f, 0.26f, 0.3f, 0.5f, 0.9f}) {
    options.scoreThreshold = threshold;
    const auto kept = detector->refilter(options);
    EXPECT_LE(kept.size(), previous) << "threshold " << threshold;
    for (const auto& d : kept) EXPECT_GT(d.score, threshold);
    previous = kept.size();
  }
  options.scoreThreshold = 0.05f;
  options.softNms = true;
  expectInside(detector->refilter(options), image.cols, image.rows);
}

TEST_F(DetectorTest, ErrorsNameTheFile) {
  const fs::path missing = dir_.path() / "no-such-image.png";
  try {
    readImageOrThrow(missing);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no-such-image.png"), std::string::npos) << e.what();
  }
  const fs::path corrupt = dir_.path() / "corrupt.png";
  std::ofstream(corrupt) << "this is not a PNG";
  try {
    readImageOrThrow(corrupt);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("corrupt.png"), std::string::npos) << e.what();
  }
  try {
    Detector::load(dir_.path() / "nothing-here", "cpu");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nothing-here"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Detector::load(checkpoint_, "tpu:3"), std::runtime_error);
}

TEST_F(DetectorTest, NetworkEvaluationMatchesTheDetectorsPath) {
  // Three images with boxes; evaluateNetwork batches them two at a time, evaluateOnSamples
  // runs the Detector one image at a time: the same detections must come out.
  std::vector<data::Sample> samples;
  for (int i = 0; i < 3; ++i) {
    cv::Mat image(120 + 40 * i, 160, CV_8UC3);
    cv::randu(image, 0, 255);
    const fs::path path = dir_.path() / ("image" + std::to_string(i) + ".png");
    ASSERT_TRUE(cv::imwrite(path.string(), image));
    samples.push_back({path, {data::Box{10, 10, 50, 60, i}, data::Box{60, 20, 100, 80, 2 * i}}});
  }
  auto detector = Detector::load(checkpoint_, "cpu", 1);
  const eval::EvaluationReport viaDetector =
      eval::evaluateOnSamples(*detector, samples, /*scoreThreshold=*/0.05f, /*iou=*/0.45f);

  auto net = model::createModel(model::makeModelSpec("yolov3-tiny", kClasses, kInput));
  run::loadCheckpoint(checkpoint_, *net, nullptr);
  net->train();
  eval::NetworkEvalOptions options;
  options.batchSize = 2;
  int calls = 0;
  options.progress = [&](int, int total) {
    EXPECT_EQ(total, 3);
    return ++calls > 0;
  };
  const eval::EvaluationResult viaNetwork = eval::evaluateNetwork(*net, samples, {}, options);
  EXPECT_TRUE(net->is_training()) << "training mode must be restored";
  EXPECT_EQ(calls, 2);

  EXPECT_EQ(viaNetwork.images, 3);
  EXPECT_GT(viaNetwork.detections, 0);
  EXPECT_EQ(viaNetwork.detections, viaDetector.result.detections);
  EXPECT_NEAR(viaNetwork.map50, viaDetector.result.map50, 1e-9);
  EXPECT_NEAR(viaNetwork.map50_95, viaDetector.result.map50_95, 1e-9);
  for (int c = 0; c < kClasses; ++c) {
    EXPECT_EQ(viaNetwork.perClass[c].truePositives, viaDetector.result.perClass[c].truePositives);
    EXPECT_EQ(viaNetwork.perClass[c].groundTruth, viaDetector.result.perClass[c].groundTruth);
  }
  EXPECT_EQ(viaDetector.images, 3);
  EXPECT_GT(viaDetector.imagesPerSecond, 0);
}

TEST_F(DetectorTest, FewImagesSetUpFindsWhatTheManyImagesSetUpFinds) {
  // kFewImages runs direct convolutions where kManyImages runs Winograd ones (equal up to
  // float rounding, about 1e-5 relative per conv: test_winograd_conv), with no warm-up pass.
  // Over tiny's 13 convs that stays far below 1e-3 in a score and 0.5 px in a box.
  auto many = Detector::load(checkpoint_, "cpu", 1, DetectorUse::kManyImages);
  auto few = Detector::load(checkpoint_, "cpu", 1, DetectorUse::kFewImages);
  cv::Mat image(200, 260, CV_8UC3);
  cv::randu(image, 0, 255);
  DetectOptions options;
  options.scoreThreshold = 0.05f;
  const auto expected = many->detect(image, options);
  const auto found = few->detect(image, options);
  ASSERT_FALSE(expected.empty());
  auto matches = [](const Detection& a, const Detection& b) {
    return a.classId == b.classId && std::abs(a.score - b.score) < 1e-3f &&
           std::abs(a.x1 - b.x1) < 0.5f && std::abs(a.y1 - b.y1) < 0.5f &&
           std::abs(a.x2 - b.x2) < 0.5f && std::abs(a.y2 - b.y2) < 0.5f;
  };
  // A box whose score is within the tolerance of the threshold may be on either side of it.
  auto nearThreshold = [&](const Detection& d) {
    return std::abs(d.score - options.scoreThreshold) < 1e-3f;
  };
  for (const auto& [from, in] : {std::pair{&expected, &found}, std::pair{&found, &expected}}) {
    for (const Detection& d : *from) {
      if (nearThreshold(d)) continue;
      EXPECT_TRUE(std::any_of(in->begin(), in->end(),
                              [&](const Detection& other) { return matches(d, other); }))
          << d.className << " " << d.score << " at " << d.x1 << "," << d.y1;
    }
  }
}

// One bad file never ends an evaluation: a 0-byte file, a text file and a PNG whose header
// claims 60,000 x 60,000 pixels are named once each and left out, through both the
// Detector's path (yolo-cli eval) and the trainer's; only a split with nothing readable is
// refused.
TEST_F(DetectorTest, UnreadableImagesAreNamedAndLeftOutOfTheEvaluation) {
  std::vector<data::Sample> samples;
  for (int i = 0; i < 2; ++i) {
    cv::Mat image(96, 128, CV_8UC3);
    cv::randu(image, 0, 255);
    const fs::path path = dir_.path() / ("good" + std::to_string(i) + ".png");
    ASSERT_TRUE(cv::imwrite(path.string(), image));
    samples.push_back({path, {data::Box{10, 10, 50, 60, 1}}});
  }
  const fs::path empty = dir_.path() / "empty.png", text = dir_.path() / "notes.jpg",
                 huge = dir_.path() / "huge.png";
  std::ofstream(empty, std::ios::binary).flush();
  std::ofstream(text) << "not an image\n";
  {
    // The PNG signature and a valid IHDR chunk (CRC included) of 60000 x 60000 8-bit RGB,
    // then nothing: the decoder must refuse the size, not allocate 10 GB.
    const unsigned char png[] = {0x89, 'P',  'N', 'G', '\r', '\n', 0x1A, '\n', 0,    0,    0,
                                 13,   'I',  'H', 'D', 'R',  0,    0,    0xEA, 0x60, 0,    0,
                                 0xEA, 0x60, 8,   2,   0,    0,    0,    0x0F, 0xB0, 0xE2, 0x15};
    std::ofstream(huge, std::ios::binary).write(reinterpret_cast<const char*>(png), sizeof png);
  }
  for (const fs::path& bad : {empty, text, huge})
    samples.push_back({bad, {data::Box{1, 1, 9, 9, 0}}});

  auto detector = Detector::load(checkpoint_, "cpu", 1);
  const eval::EvaluationReport report = eval::evaluateOnSamples(*detector, samples);
  EXPECT_EQ(report.images, 2);
  ASSERT_EQ(report.result.unreadableImages.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    EXPECT_NE(report.result.unreadableImages[i].find(samples[2 + i].image.string()),
              std::string::npos)
        << report.result.unreadableImages[i];
  EXPECT_NE(report.result.unreadableImages[2].find("60000 x 60000 pixels"), std::string::npos)
      << report.result.unreadableImages[2];

  auto net = model::createModel(model::makeModelSpec("yolov3-tiny", kClasses, kInput));
  run::loadCheckpoint(checkpoint_, *net, nullptr);
  const eval::EvaluationResult viaNetwork = eval::evaluateNetwork(*net, samples, {});
  EXPECT_EQ(viaNetwork.images, 2);
  EXPECT_EQ(viaNetwork.unreadableImages, report.result.unreadableImages);
  EXPECT_NEAR(viaNetwork.map50, report.result.map50, 1e-9);

  const std::vector<data::Sample> onlyBad(samples.begin() + 2, samples.end());
  EXPECT_THROW(eval::evaluateOnSamples(*detector, onlyBad), std::runtime_error);
  EXPECT_THROW(eval::evaluateNetwork(*net, onlyBad, {}), std::runtime_error);
}

TEST_F(DetectorTest, ExplanationsAreTheDetectionsTracedToCellsThatHoldTheirCentres) {
  yolo::test::ScratchDir dir;
  auto detector = Detector::load(writeTinyCheckpoint(dir.path()), "cpu", 2);
  cv::Mat image(96, 160, CV_8UC3, cv::Scalar(200, 180, 160));
  DetectOptions options;
  options.scoreThreshold = 0.2f;
  const auto detections = detector->detect(image, options);
  ASSERT_FALSE(detections.empty());  // a fresh model boxes everything at ~0.25
  const auto explained = detector->explain(options);
  ASSERT_EQ(explained.size(), detections.size());
  // The letterbox of 160 x 96 into 128: scale 0.8, 12.8 -> 13 pixels of padding above.
  const float scale = 128.f / 160.f;
  const float offsetY = (128.f - 96.f * scale) / 2.f;
  int traced = 0;
  for (size_t i = 0; i < detections.size(); ++i) {
    const Candidate& c = explained[i].candidate;
    EXPECT_EQ(c.box.x1, detections[i].x1);
    EXPECT_EQ(c.box.y2, detections[i].y2);
    EXPECT_EQ(c.box.classId, detections[i].classId);
    EXPECT_EQ(explained[i].scoreAfterNms, detections[i].score);
    EXPECT_NEAR(c.objectness * c.topClasses.front().probability, detections[i].score, 1e-6);
    // A box's centre lies in the cell that predicted it (sigmoid offsets are inside (0, 1)),
    // unless clipping at the image edge moved it.
    const bool clipped = c.box.x1 <= 0 || c.box.y1 <= 0 || c.box.x2 >= 160 || c.box.y2 >= 96;
    if (clipped) continue;
    ++traced;
    const float cx = (c.box.x1 + c.box.x2) / 2 * scale;
    const float cy = (c.box.y1 + c.box.y2) / 2 * scale + offsetY;
    EXPECT_EQ(static_cast<int>(cx / static_cast<float>(c.origin.stride)), c.origin.cellX) << i;
    EXPECT_NEAR(cy / static_cast<float>(c.origin.stride), c.origin.cellY + 0.5f, 0.51f) << i;
  }
  EXPECT_GT(traced, 0) << "every box was clipped: nothing traced";
  // Every candidate NMS removed scored no more than the detection it is listed under.
  for (const auto& e : explained)
    for (const auto& s : e.suppressed) EXPECT_LE(s.candidate.box.score, e.candidate.box.score);
}
