#pragma once
// The synthetic digit-detection dataset: MNIST digits pasted at random sizes and places on
// a plain canvas, written as JPEGs plus annotation files in the tutorial format.

#include <array>
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/box.h"
#include "core/data/digit_source.h"

namespace yolo::data {

/// One size group: the image gets a count drawn uniformly from [minCount, maxCount] of
/// digits of this group, each scaled by a factor drawn uniformly from `scales` (applied
/// to the 28 px digit: side = floor(28 * scale)).
struct ScaleGroup {
  int minCount = 0;
  int maxCount = 0;
  std::vector<float> scales;
};

/// Everything that decides the generated data. Defaults follow the tutorial, except
/// trainImages: 4,000, not the tutorial's 1,000, so a detector sees most of the training
/// pool's digits, each about three times at different sizes; the cpu-fast preset is tuned
/// for it (docs/training.md). Saved as JSON (missing keys keep these defaults, so old files
/// keep loading).
struct GeneratorConfig {
  int canvasWidth = 416;   ///< pixels
  int canvasHeight = 416;  ///< pixels
  int background = 255;    ///< canvas grey level 0..255 (255 = white)
  /// true: digits become black ink on white (255 - MNIST value) and overlapping ink keeps the
  /// darker pixel; false: MNIST white-on-black kept, the lighter pixel wins (use background 0).
  bool invertDigits = true;
  ScaleGroup small{0, 3, {0.5f, 0.8f}};
  ScaleGroup medium{0, 6, {1.f, 1.5f, 2.f}};
  ScaleGroup big{0, 3, {3.f, 4.f}};
  /// A candidate box is accepted when, for every box already placed,
  /// intersection / (area1 + area2) < maxOverlap.
  float maxOverlap = 0.02f;
  /// Candidate positions tried per digit; after that the digit is skipped and counted.
  int maxPlacementTries = 50;
  int trainImages = 4000;
  int testImages = 200;
  int jpegQuality = 95;  ///< 0..100
  std::uint64_t seed = 0;

  // Harder pages, all off by default (generatorVariant() names useful mixes). Each image
  // draws its own values uniformly from the ranges. Levels and stroke growth need
  // invertDigits (ink on paper).
  /// Paper level drawn from [background, backgroundMax]; -1 = always `background`.
  int backgroundMax = -1;
  /// Ink level drawn from [0, inkMax]: 0 = black ink; higher = lower contrast.
  int inkMax = 0;
  float blurSigmaMax = 0.f;   ///< Gaussian blur, sigma in pixels, drawn from [0, max]
  float noiseSigmaMax = 0.f;  ///< Gaussian noise, sigma in grey levels, drawn from [0, max]
  /// true: a digit's scale is drawn from [smallest, largest] of its group's scales, not
  /// from the list itself.
  bool continuousScales = false;
  /// Strokes thickened by up to this many pixels of the 28 px digit (scaled with the digit),
  /// drawn per digit: a pen or marker instead of MNIST's pencil.
  float strokeGrowMax = 0.f;
  float rotationMaxDegrees = 0.f;  ///< each digit turned by an angle drawn from [-max, max]
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ScaleGroup, minCount, maxCount, scales)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GeneratorConfig, canvasWidth, canvasHeight,
                                                background, invertDigits, small, medium, big,
                                                maxOverlap, maxPlacementTries, trainImages,
                                                testImages, jpegQuality, seed, backgroundMax,
                                                inkMax, blurSigmaMax, noiseSigmaMax,
                                                continuousScales, strokeGrowMax, rotationMaxDegrees)

/// Names of the built-in variants: "default" (the defaults above), "harder" (grey and
/// noisy paper, lower contrast, blur, digits 14-112 px at any size, up to 10 a page) and
/// "drawn" (one to three large digits, 84-252 px, thick strokes, turned up to 10 degrees,
/// like digits drawn with a mouse or a marker).
std::vector<std::string> generatorVariantNames();

/// A built-in variant by name; throws std::invalid_argument listing the known names.
GeneratorConfig generatorVariant(const std::string& name);

/// Throws std::invalid_argument naming the first bad field (e.g. a scale whose digit does
/// not fit the canvas, a negative count, jpegQuality outside 0..100).
void validate(const GeneratorConfig& config);

/// Reads a JSON config; keys not present keep their defaults, unknown keys are ignored.
/// Throws std::runtime_error naming the file on unreadable or malformed JSON or bad values.
GeneratorConfig loadGeneratorConfig(const std::filesystem::path& path);

/// Writes `config` as indented JSON, atomically.
void saveGeneratorConfig(const std::filesystem::path& path, const GeneratorConfig& config);

/// The overlap measure of the placement rule: intersection / (area(a) + area(b)); 0 when
/// the boxes do not overlap (touching edges do not overlap).
float overlapRatio(const Box& a, const Box& b);

enum class Split { kTrain = 0, kTest = 1 };

/// One digit pasted into an image.
struct Placement {
  Box box;              ///< canvas pixels, x2 = x1 + side; classId = the digit
  int sourceIndex = 0;  ///< index of the digit in DigitSet::byClass[box.classId] (full set)
};

/// One image in memory: CV_8UC1, canvasHeight x canvasWidth.
struct ComposedImage {
  cv::Mat pixels;
  std::vector<Placement> placements;  ///< in paste order
  int skippedPlacements = 0;          ///< digits dropped after maxPlacementTries
  int redraws = 0;                    ///< times the image came out empty and was drawn again
};

/// The RNG seed of image `index` of `split`: a SplitMix64 hash of (seed, split, index), so
/// every image is reproducible on its own, whatever the thread count or order.
std::uint64_t imageSeed(std::uint64_t seed, Split split, std::uint64_t index);

/// Composes image `index` of `split`. `digits` is the full set: only the pool of `split`
/// (per trainPoolSize()) is drawn from, uniformly over all its digits. Pure and thread-safe:
/// the result depends only on the arguments. Throws std::invalid_argument when the pool is
/// empty.
ComposedImage composeImage(const GeneratorConfig& config, const DigitSet& digits, Split split,
                           std::uint64_t index);

/// Totals of a generateDataset() run.
struct GenerateSummary {
  int trainImages = 0;  ///< written
  int testImages = 0;   ///< written
  std::array<int, kDigitClasses> trainBoxesPerClass{};
  std::array<int, kDigitClasses> testBoxesPerClass{};
  int skippedPlacements = 0;  ///< digits that found no place, both splits
  int redraws = 0;            ///< empty images drawn again, both splits
  double seconds = 0.0;
  bool cancelled = false;  ///< true: stopped early, annotation files not (re)written
  /// Per written image (index i = file i+1), what was pasted: lets callers and tests check
  /// the pools and boxes without decoding JPEGs.
  std::vector<std::vector<Placement>> trainPlacements;
  std::vector<std::vector<Placement>> testPlacements;

  int totalBoxes() const;
};

/// Called with (images done, images total). Always on the thread that called
/// generateDataset(), never concurrently, with `done` non-decreasing; the last call of an
/// uncancelled run is (total, total).
using ProgressCallback = std::function<void(int done, int total)>;

/// Writes the dataset into `outDir` (created if needed):
///   train/000001.jpg ...  test/000001.jpg ...   greyscale JPEGs, `jpegQuality`
///   train.txt, test.txt   one line per image: `train/000001.jpg x1,y1,x2,y2,class ...`,
///                         paths relative to the annotation file, integer pixel boxes
///   mnist.names           the class names 0..9, one a line
/// Training images use TRAIN-pool digits only and test images TEST-pool digits only.
/// Same config + same digits = byte-identical files, whatever `threads` (0 = one per
/// hardware thread). Annotation files are written atomically, after all their images.
/// `cancel` is polled between images: when it turns true, workers stop, no annotation file
/// is written (old ones stay whole) and the summary says `cancelled`. Images already written
/// stay; other files in `outDir` are never touched. Throws std::invalid_argument for a bad
/// config or an empty pool, std::runtime_error naming the file when a write fails.
GenerateSummary generateDataset(const GeneratorConfig& config, const DigitSet& digits,
                                const std::filesystem::path& outDir,
                                const ProgressCallback& progress = {},
                                const std::atomic<bool>* cancel = nullptr, int threads = 0);

}  // namespace yolo::data
