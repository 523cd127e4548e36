#pragma once
// Finds objects in images with a trained checkpoint. Torch-free header (pimpl): the GUI
// holds a Detector directly.

#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace yolo::infer {

/// One detected object, in original-image pixels (x2, y2 exclusive edges).
struct Detection {
  float x1 = 0, y1 = 0, x2 = 0, y2 = 0;
  float score = 0;  ///< objectness x best class probability, 0..1
  int classId = 0;
  std::string className;
};

/// insideCover of the Detect view and `yolo-cli detect`: a box four-fifths inside a better
/// box is a fragment or a second reading of the same digit.
inline constexpr float kOneLabelPerObjectCover = 0.8f;

/// Post-processing settings; changing them never needs the network again (see refilter).
struct DetectOptions {
  float scoreThreshold = 0.3f;
  float iouThreshold = 0.45f;  ///< per-class NMS overlap
  bool softNms = false;        ///< Gaussian soft-NMS instead of hard NMS
  float softNmsSigma = 0.3f;
  /// After NMS, drop a box covered more than this (intersection / its area) by a
  /// higher-scoring box of any class (dropBoxesInsideBetterOnes, core/infer/nms.h). 1 = off:
  /// per-class NMS only, as the tutorial, the mAP evaluation and the exports do. The Detect
  /// view and `yolo-cli detect` use kOneLabelPerObjectCover.
  float insideCover = 1.f;
  int maxDetections = 100;  ///< <= 0: no cap
  /// Boxes whose scale sqrt(w * h), in image pixels, is not strictly inside
  /// (minBoxScale, maxBoxScale) are dropped (the tutorial's valid_scale = [0, inf]).
  float minBoxScale = 0.f;
  float maxBoxScale = std::numeric_limits<float>::infinity();
};

/// What a Detector is set up for. Its CPU engine can run the 3x3 convolutions as Winograd
/// convolutions: faster per image, but their filters take 4x the memory of those weights and
/// time to build, which only many images pay back (bench/README.md, "Cold start").
enum class DetectorUse {
  kManyImages,  ///< Winograd where the CPU has it, and a warm-up pass: steady per-image times
  kFewImages,   ///< direct convolutions and no warm-up: the first boxes come soonest
};

/// Images from which kManyImages pays for its set-up on a CPU (bench/README.md).
inline constexpr int kManyImagesFrom = 32;

struct Candidate;
struct DetectionExplanation;

class Detector {
 public:
  /// Loads a checkpoint file, or the best (else last) checkpoint of a run folder. The
  /// checkpoint carries classes, model, input size and anchors. `device`: "auto", "cpu",
  /// "cuda:N". Throws std::runtime_error naming the file and what was wrong.
  static std::unique_ptr<Detector> load(const std::filesystem::path& modelPath,
                                        const std::string& device = "auto", int threads = 0,
                                        DetectorUse use = DetectorUse::kManyImages);
  ~Detector();

  /// Runs the network on an image (gray, BGR, BGRA; 8 or 16 bit) and filters with
  /// `options`. The raw network output is cached for refilter().
  std::vector<Detection> detect(const cv::Mat& image, const DetectOptions& options = {});

  /// Re-filters the last image's cached output with other thresholds: no network run.
  std::vector<Detection> refilter(const DetectOptions& options) const;

  /// Why the last image's detections with `options` are what they are: one explanation per
  /// detection of refilter(options), in its order (core/infer/detection_explanation.h,
  /// explainDetections()). No network run.
  std::vector<DetectionExplanation> explain(const DetectOptions& options) const;
  /// The best candidate of the last image that holds (x, y), image pixels, and is not
  /// detected with `options`: why nothing is there. Nullopt when no candidate covers it.
  std::optional<Candidate> strongestUndetectedAt(float x, float y,
                                                 const DetectOptions& options) const;

  const std::vector<std::string>& classNames() const;
  int inputSize() const;
  const std::filesystem::path& checkpointPath() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Detector();
};

}  // namespace yolo::infer
