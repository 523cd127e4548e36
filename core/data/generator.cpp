#include "core/data/generator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <fstream>
#include <limits>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/annotation_file.h"
#include "core/data/appearance.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "core/util/json_numbers.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

std::uint64_t splitMix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// std::uniform_int_distribution differs between standard libraries; this does not, so a
// seed names the same dataset everywhere. Rejection keeps it unbiased.
int uniformInt(std::mt19937_64& rng, int lo, int hi) {
  const std::uint64_t range = static_cast<std::uint64_t>(hi - lo) + 1;
  const std::uint64_t limit =
      std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % range;
  std::uint64_t x = rng();
  while (x >= limit) x = rng();
  return lo + static_cast<int>(x % range);
}

int sideFor(float scale) {
  // The epsilon keeps e.g. 28 * 1.5f from flooring to 41 through float error.
  return static_cast<int>(std::floor(kDigitSide * static_cast<double>(scale) + 1e-4));
}

struct PoolRange {
  std::array<std::size_t, kDigitClasses> begin{};
  std::array<std::size_t, kDigitClasses> count{};
  std::size_t total = 0;
};

PoolRange poolOf(const DigitSet& digits, Split split) {
  PoolRange pool;
  for (int d = 0; d < kDigitClasses; ++d) {
    const std::size_t n = digits.byClass[d].size();
    const std::size_t cut = trainPoolSize(n);
    pool.begin[d] = split == Split::kTrain ? 0 : cut;
    pool.count[d] = split == Split::kTrain ? cut : n - cut;
    pool.total += pool.count[d];
  }
  return pool;
}

std::string str(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

const char* splitName(Split split) { return split == Split::kTrain ? "train" : "test"; }

std::string imageName(std::size_t index) {
  char name[32];
  std::snprintf(name, sizeof name, "%06zu.jpg", index + 1);
  return name;
}

void writeBytes(const fs::path& path, const std::vector<uchar>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path.string() + ": cannot create file");
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
}

void validateGroup(const GeneratorConfig& c, const ScaleGroup& g, const char* name) {
  auto bad = [&](const std::string& what) {
    throw std::invalid_argument(std::string("generator config: ") + name + ": " + what);
  };
  // More digits than a 16384 px page could hold at 1 px each is a typo (and the sum of the
  // groups' counts must not overflow).
  constexpr int kMaxCount = 100000;
  if (g.minCount < 0 || g.maxCount < g.minCount || g.maxCount > kMaxCount)
    bad("counts must satisfy 0 <= minCount <= maxCount <= " + std::to_string(kMaxCount) + ", got " +
        std::to_string(g.minCount) + ".." + std::to_string(g.maxCount));
  if (g.maxCount > 0 && g.scales.empty()) bad("scales is empty");
  for (float s : g.scales) {
    // sideFor() in double: a scale such as 1e12 gives a side past int's range.
    const double side = std::floor(kDigitSide * static_cast<double>(s) + 1e-4);
    if (!(s > 0.f) || !(side >= 1)) bad("scale " + str(s) + " gives a digit under 1 pixel");
    if (side > c.canvasWidth || side > c.canvasHeight)
      bad("scale " + str(s) + " gives a " + str(side) + " px digit, larger than the " +
          std::to_string(c.canvasWidth) + "x" + std::to_string(c.canvasHeight) + " canvas");
  }
}

// A float drawn uniformly from [lo, hi] with 2^24 steps, the same on every platform.
float uniformFloat(std::mt19937_64& rng, float lo, float hi) {
  constexpr int kSteps = 1 << 24;
  return lo + (hi - lo) * static_cast<float>(uniformInt(rng, 0, kSteps)) / kSteps;
}

float uniformScale(std::mt19937_64& rng, const std::vector<float>& scales) {
  const auto [lo, hi] = std::minmax_element(scales.begin(), scales.end());
  return uniformFloat(rng, *lo, *hi);
}

// Thicker strokes and a turn for one scaled digit (MNIST polarity: light ink on black).
void reshapeStrokes(const GeneratorConfig& c, cv::Mat& digit, std::mt19937_64& rng) {
  if (c.strokeGrowMax > 0.f) {
    const float grow = uniformFloat(rng, 0.f, c.strokeGrowMax) * digit.cols / kDigitSide;
    // Whole pixels, as the variants' test sets were made.
    changeStrokeWidth(digit, cv::Rect(0, 0, digit.cols, digit.rows),
                      static_cast<float>(std::lround(grow)), /*paper=*/0);
  }
  if (c.rotationMaxDegrees > 0.f) {
    const float degrees = uniformFloat(rng, -c.rotationMaxDegrees, c.rotationMaxDegrees);
    const cv::Point2f centre(digit.cols / 2.f, digit.rows / 2.f);
    cv::warpAffine(digit, digit, cv::getRotationMatrix2D(centre, degrees, 1.0), digit.size(),
                   cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(0));
  }
}

// Paper and ink levels, blur and noise of a finished page (composed on white when `levels`).
void ageThePage(const GeneratorConfig& c, bool levels, cv::Mat& page, std::mt19937_64& rng) {
  if (levels) {
    const int paper =
        c.backgroundMax == -1 ? c.background : uniformInt(rng, c.background, c.backgroundMax);
    applyLevels(page, uniformInt(rng, 0, c.inkMax), paper);
  }
  if (c.blurSigmaMax > 0.f) blurImage(page, uniformFloat(rng, 0.f, c.blurSigmaMax));
  if (c.noiseSigmaMax > 0.f) addNoise(page, uniformFloat(rng, 0.f, c.noiseSigmaMax), rng());
}

}  // namespace

void validate(const GeneratorConfig& c) {
  auto bad = [](const std::string& what) {
    throw std::invalid_argument("generator config: " + what);
  };
  if (c.canvasWidth < 1 || c.canvasHeight < 1 || c.canvasWidth > 16384 || c.canvasHeight > 16384)
    bad("canvas must be 1..16384 pixels a side, got " + std::to_string(c.canvasWidth) + "x" +
        std::to_string(c.canvasHeight));
  if (c.background < 0 || c.background > 255)
    bad("background must be 0..255, got " + std::to_string(c.background));
  validateGroup(c, c.small, "small");
  validateGroup(c, c.medium, "medium");
  validateGroup(c, c.big, "big");
  if (c.small.maxCount + c.medium.maxCount + c.big.maxCount == 0)
    bad("every group has maxCount 0: no image could hold a digit");
  if (!(c.maxOverlap > 0.f)) bad("maxOverlap must be > 0, got " + str(c.maxOverlap));
  if (c.maxPlacementTries < 1 || c.maxPlacementTries > 100000)
    bad("maxPlacementTries must be 1..100000, got " + std::to_string(c.maxPlacementTries));
  if (c.trainImages < 0 || c.testImages < 0)
    bad("image counts must be >= 0, got train " + std::to_string(c.trainImages) + ", test " +
        std::to_string(c.testImages));
  if (c.jpegQuality < 0 || c.jpegQuality > 100)
    bad("jpegQuality must be 0..100, got " + std::to_string(c.jpegQuality));
  if (c.backgroundMax != -1 && (c.backgroundMax < c.background || c.backgroundMax > 255))
    bad("backgroundMax must be -1 (off) or background..255, got " +
        std::to_string(c.backgroundMax));
  if (c.inkMax < 0 || (c.inkMax > 0 && c.inkMax >= c.background))
    bad("inkMax must be 0..background-1 (ink darker than the paper), got " +
        std::to_string(c.inkMax));
  if ((c.backgroundMax != -1 || c.inkMax > 0 || c.strokeGrowMax > 0.f) && !c.invertDigits)
    bad("backgroundMax, inkMax and strokeGrowMax need invertDigits (ink on paper)");
  if (!(c.blurSigmaMax >= 0.f && c.blurSigmaMax <= 20.f))
    bad("blurSigmaMax must be 0..20 pixels, got " + str(c.blurSigmaMax));
  if (!(c.noiseSigmaMax >= 0.f && c.noiseSigmaMax <= 128.f))
    bad("noiseSigmaMax must be 0..128 grey levels, got " + str(c.noiseSigmaMax));
  if (!(c.strokeGrowMax >= 0.f && c.strokeGrowMax <= 8.f))
    bad("strokeGrowMax must be 0..8 pixels of the 28 px digit, got " + str(c.strokeGrowMax));
  if (!(c.rotationMaxDegrees >= 0.f && c.rotationMaxDegrees <= 180.f))
    bad("rotationMaxDegrees must be 0..180, got " + str(c.rotationMaxDegrees));
}

std::vector<std::string> generatorVariantNames() { return {"default", "harder", "drawn"}; }

GeneratorConfig generatorVariant(const std::string& name) {
  GeneratorConfig c;
  if (name == "default") return c;
  if (name == "harder") {
    // Other paper and ink, a scanner's or camera's blur and noise, any size in the
    // generator's range, fuller pages.
    c.background = 120;
    c.backgroundMax = 255;
    c.inkMax = 80;
    c.blurSigmaMax = 1.2f;
    c.noiseSigmaMax = 12.f;
    c.continuousScales = true;
    c.small = {0, 3, {0.5f, 0.9f}};
    c.medium = {0, 5, {0.9f, 2.f}};
    c.big = {0, 2, {2.f, 4.f}};
    return c;
  }
  if (name == "drawn") {
    // What a mouse or a marker makes: a few large digits with thick strokes, a little turned.
    c.continuousScales = true;
    c.small = {0, 0, {}};
    c.medium = {0, 2, {3.f, 5.f}};
    c.big = {1, 1, {5.f, 9.f}};
    c.strokeGrowMax = 2.f;
    c.rotationMaxDegrees = 10.f;
    return c;
  }
  std::string known;
  for (const auto& n : generatorVariantNames()) known += (known.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown data variant '" + name + "' (known: " + known + ")");
}

GeneratorConfig loadGeneratorConfig(const fs::path& path) {
  const std::string text = readTextFile(path);
  GeneratorConfig config;
  try {
    config = nlohmann::json::parse(text, keepFloatsInIntRange).get<GeneratorConfig>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path.string() + ": not a valid generator config: " + e.what());
  }
  try {
    validate(config);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(path.string() + ": " + e.what());
  }
  return config;
}

void saveGeneratorConfig(const fs::path& path, const GeneratorConfig& config) {
  writeTextAtomically(path, nlohmann::json(config).dump(2) + "\n");
}

float overlapRatio(const Box& a, const Box& b) {
  const float w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  const float h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  if (w <= 0.f || h <= 0.f) return 0.f;
  return w * h / (a.area() + b.area());
}

std::uint64_t imageSeed(std::uint64_t seed, Split split, std::uint64_t index) {
  std::uint64_t h = splitMix64(seed);
  h = splitMix64(h ^ static_cast<std::uint64_t>(split));
  return splitMix64(h ^ index);
}

ComposedImage composeImage(const GeneratorConfig& config, const DigitSet& digits, Split split,
                           std::uint64_t index) {
  const PoolRange pool = poolOf(digits, split);
  if (pool.total == 0)
    throw std::invalid_argument(std::string("the ") + splitName(split) + " pool has no digits (" +
                                std::to_string(digits.size()) + " digits in the set)");
  std::mt19937_64 rng(imageSeed(config.seed, split, index));
  const ScaleGroup* groups[] = {&config.small, &config.medium, &config.big};

  // Off, the pixels are exactly those of the plain generator (no extra random draws).
  const bool levels = config.backgroundMax != -1 || config.inkMax > 0;
  ComposedImage out;
  cv::Mat scaled;
  while (true) {
    out.pixels = cv::Mat(config.canvasHeight, config.canvasWidth, CV_8UC1,
                         cv::Scalar(levels ? 255 : config.background));
    out.placements.clear();
    out.skippedPlacements = 0;

    for (const ScaleGroup* group : groups) {
      const int n = uniformInt(rng, group->minCount, group->maxCount);
      for (int k = 0; k < n; ++k) {
        const float scale = config.continuousScales
                                ? uniformScale(rng, group->scales)
                                : group->scales[uniformInt(rng, 0, int(group->scales.size()) - 1)];
        // Uniform over every digit of the pool, so classes keep MNIST's frequencies.
        std::size_t pick =
            static_cast<std::size_t>(uniformInt(rng, 0, static_cast<int>(pool.total) - 1));
        int classId = 0;
        while (pick >= pool.count[classId]) pick -= pool.count[classId++];
        const int sourceIndex = static_cast<int>(pool.begin[classId] + pick);
        const int side = sideFor(scale);

        Box candidate;
        bool placed = false;
        for (int attempt = 0; attempt < config.maxPlacementTries && !placed; ++attempt) {
          const int x = uniformInt(rng, 0, config.canvasWidth - side);
          const int y = uniformInt(rng, 0, config.canvasHeight - side);
          candidate = Box{float(x), float(y), float(x + side), float(y + side), classId};
          placed =
              std::all_of(out.placements.begin(), out.placements.end(), [&](const Placement& p) {
                return overlapRatio(candidate, p.box) < config.maxOverlap;
              });
        }
        if (!placed) {
          ++out.skippedPlacements;
          continue;
        }

        const cv::Mat& digit = digits.byClass[classId][sourceIndex];
        cv::resize(digit, scaled, cv::Size(side, side), 0, 0,
                   side < kDigitSide ? cv::INTER_AREA : cv::INTER_LINEAR);
        reshapeStrokes(config, scaled, rng);
        cv::Mat roi = out.pixels(cv::Rect(int(candidate.x1), int(candidate.y1), side, side));
        // Combine ink so a later digit never erases an earlier one's strokes.
        if (config.invertDigits) {
          cv::Mat ink = 255 - scaled;
          cv::min(roi, ink, roi);
        } else {
          cv::max(roi, scaled, roi);
        }
        out.placements.push_back(Placement{candidate, sourceIndex});
      }
    }
    if (!out.placements.empty()) {
      ageThePage(config, levels, out.pixels, rng);
      return out;
    }
    ++out.redraws;  // the tutorial draws an image with no digit again
  }
}

int GenerateSummary::totalBoxes() const {
  int n = 0;
  for (int d = 0; d < kDigitClasses; ++d) n += trainBoxesPerClass[d] + testBoxesPerClass[d];
  return n;
}

GenerateSummary generateDataset(const GeneratorConfig& config, const DigitSet& digits,
                                const fs::path& outDir, const ProgressCallback& progress,
                                const std::atomic<bool>* cancel, int threads) {
  const auto start = std::chrono::steady_clock::now();
  validate(config);
  for (Split split : {Split::kTrain, Split::kTest}) {
    const int wanted = split == Split::kTrain ? config.trainImages : config.testImages;
    if (wanted > 0 && poolOf(digits, split).total == 0)
      throw std::invalid_argument(std::string("cannot make ") + splitName(split) + " images: the " +
                                  splitName(split) + " pool has no digits (" +
                                  std::to_string(digits.size()) + " digits in the set)");
  }
  const fs::path trainDir = outDir / "train";
  const fs::path testDir = outDir / "test";
  for (const fs::path& dir : {outDir, trainDir, testDir}) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!fs::is_directory(dir))
      throw std::runtime_error(dir.string() + ": cannot create folder" +
                               (ec ? " (" + ec.message() + ")" : std::string()));
  }

  const int total = config.trainImages + config.testImages;
  GenerateSummary summary;
  summary.trainPlacements.resize(config.trainImages);
  summary.testPlacements.resize(config.testImages);
  std::vector<int> skipped(total, 0);
  std::vector<int> redraws(total, 0);

  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min(threads, total));

  std::atomic<int> next{0};
  std::atomic<int> done{0};
  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::condition_variable wake;
  int running = threads;
  std::exception_ptr error;
  const std::vector<int> jpegParams = {cv::IMWRITE_JPEG_QUALITY, config.jpegQuality};

  auto work = [&] {
    try {
      std::vector<uchar> bytes;
      while (!stop.load()) {
        if (cancel != nullptr && cancel->load()) {
          stop = true;
          break;
        }
        const int i = next.fetch_add(1);
        if (i >= total) break;
        const bool isTrain = i < config.trainImages;
        const Split split = isTrain ? Split::kTrain : Split::kTest;
        const int index = isTrain ? i : i - config.trainImages;
        ComposedImage image = composeImage(config, digits, split, index);
        const fs::path file = (isTrain ? trainDir : testDir) / imageName(index);
        if (!cv::imencode(".jpg", image.pixels, bytes, jpegParams))
          throw std::runtime_error(file.string() + ": JPEG encoding failed");
        writeBytes(file, bytes);
        skipped[i] = image.skippedPlacements;
        redraws[i] = image.redraws;
        (isTrain ? summary.trainPlacements : summary.testPlacements)[index] =
            std::move(image.placements);
        done.fetch_add(1);
        wake.notify_one();
      }
    } catch (...) {
      // No exception crosses a thread: the first one is rethrown by the caller's thread.
      std::lock_guard<std::mutex> lock(mutex);
      if (!error) error = std::current_exception();
      stop = true;
    }
    {
      std::lock_guard<std::mutex> lock(mutex);
      --running;
    }
    wake.notify_one();
  };

  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  {
    int reported = -1;
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      wake.wait_for(lock, std::chrono::milliseconds(100));
      const int now = done.load();
      if (progress && now != reported && !error) {
        lock.unlock();
        progress(now, total);  // on the caller's thread, never concurrently
        lock.lock();
        reported = now;
      }
      if (running == 0) break;
    }
  }
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);

  const bool cancelled = done.load() < total;
  summary.cancelled = cancelled;
  for (int i = 0; i < total; ++i) {
    summary.skippedPlacements += skipped[i];
    summary.redraws += redraws[i];
  }
  auto countSplit = [&](std::vector<std::vector<Placement>>& placements,
                        std::array<int, kDigitClasses>& perClass) {
    int written = 0;
    for (const auto& image : placements) {
      if (image.empty()) continue;  // not made (cancelled): every made image has a digit
      ++written;
      for (const Placement& p : image) ++perClass[p.box.classId];
    }
    return written;
  };
  summary.trainImages = countSplit(summary.trainPlacements, summary.trainBoxesPerClass);
  summary.testImages = countSplit(summary.testPlacements, summary.testBoxesPerClass);

  if (!cancelled) {
    auto writeAnnotations = [&](const fs::path& file, const fs::path& imageDir,
                                const std::vector<std::vector<Placement>>& placements) {
      std::vector<Sample> samples(placements.size());
      for (std::size_t i = 0; i < placements.size(); ++i) {
        samples[i].image = imageDir / imageName(i);
        for (const Placement& p : placements[i]) samples[i].boxes.push_back(p.box);
      }
      writeAnnotationFile(file, samples);
    };
    writeAnnotations(outDir / "train.txt", trainDir, summary.trainPlacements);
    writeAnnotations(outDir / "test.txt", testDir, summary.testPlacements);
    std::vector<std::string> names;
    for (int d = 0; d < kDigitClasses; ++d) names.push_back(std::to_string(d));
    writeClassNames(outDir / "mnist.names", names);
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace yolo::data
