#pragma once
// Why a detector scores what it scores: every detection and every object of an evaluated set
// sorted into what went right or wrong (the error kinds of TIDE, Bolya et al. 2020, at one
// IoU threshold), and a confusion matrix with a background row and column. What the
// evaluation view, the error browser and `yolo-cli eval --json` show. Plain data and pure
// functions, torch-free.

#include <string>
#include <vector>

#include "core/data/box.h"
#include "core/infer/detector.h"

namespace yolo::eval {

/// What became of a detection at or above the analysis' score threshold.
enum class DetectionOutcome {
  kTruePositive,      ///< found an object of its class (VOC matching at the IoU threshold)
  kWrongClass,        ///< on an object of another class: IoU >= the threshold with it
  kDuplicate,         ///< its best same-class object was found already by a better detection
  kPoorLocalisation,  ///< near an object of its class, IoU in [localisationMinIou, threshold)
  kBackground,        ///< on nothing: none of the above
  kIgnored,           ///< on a difficult object or inside a crowd region: neither right nor wrong
};

/// What became of a ground-truth object (Box::Kind::object).
enum class ObjectOutcome {
  kFound,              ///< a detection of its class found it (a true positive)
  kFoundAsOtherClass,  ///< not found, but a detection of another class lies on it
  kPoorlyLocated,      ///< not found, but a detection of its class lies near it
  kMissed,             ///< no detection at all on or near it
};

/// "true_positive", "wrong_class", "duplicate", "poor_localisation", "background", "ignored".
const char* toString(DetectionOutcome outcome);
/// "found", "found_as_other_class", "poorly_located", "missed".
const char* toString(ObjectOutcome outcome);

struct DetectionVerdict {
  int detection = 0;  ///< index into the image's detections
  DetectionOutcome outcome = DetectionOutcome::kBackground;
  /// The object the verdict is about: the one found, the other-class one, the one found
  /// already, the poorly located one; -1 for background and ignored.
  int object = -1;
  double iou = 0;  ///< with `object` (VOC "+1 pixel" IoU, as the mAP); 0 without one
};

struct ObjectVerdict {
  int object = 0;  ///< index into the image's ground truth
  ObjectOutcome outcome = ObjectOutcome::kMissed;
  int detection = -1;  ///< the detection that found it or lies on or near it; -1 when missed
};

/// One image's verdicts. Detections below the score threshold are not judged.
struct ImageErrors {
  int image = 0;                             ///< index into the evaluated images
  std::vector<DetectionVerdict> detections;  ///< by descending score
  std::vector<ObjectVerdict> objects;        ///< by index
  /// False positives (every outcome but true positive and ignored) plus objects not found.
  int errorCount() const;
};

/// Rows: ground-truth classes, then background; columns: predicted classes, then
/// background. Objects and detections are paired one to one: a true positive counts at
/// [class, class]; a wrong-class detection that is the first to lie on an object not found
/// otherwise counts at [object's class, detection's class]; an object left without a
/// partner at [class, background] (its row sums to its class' object count); a detection
/// left without one (duplicates, poor localisation, background, a second wrong-class box on
/// an object) at [background, class] (its column sums to its class' judged detections).
/// Ignored detections are not counted.
struct ConfusionMatrix {
  /// One pairing: `object` or `detection` is -1 for the background row or column.
  struct Case {
    int image = 0;
    int object = -1;
    int detection = -1;
  };
  int numClasses = 0;
  std::vector<int> counts;               ///< (numClasses + 1)^2, row-major
  std::vector<std::vector<Case>> cases;  ///< per cell, as `counts`

  /// `truth`, `predicted` in [0, numClasses]; numClasses is background.
  int at(int truth, int predicted) const;
  const std::vector<Case>& casesAt(int truth, int predicted) const;
};

struct ErrorCounts {
  int truePositives = 0, wrongClass = 0, duplicates = 0, poorLocalisation = 0, background = 0,
      ignored = 0;
  int objects = 0, foundAsOtherClass = 0, poorlyLocated = 0, missed = 0;
  int falsePositives() const { return wrongClass + duplicates + poorLocalisation + background; }
  int falseNegatives() const { return foundAsOtherClass + poorlyLocated + missed; }
};

struct ErrorAnalysis {
  float scoreThreshold = 0;
  double iouThreshold = 0;
  std::vector<ImageErrors> images;  ///< one per evaluated image, in order
  ConfusionMatrix confusion;
  ErrorCounts counts;
};

struct ErrorAnalysisOptions {
  float scoreThreshold = 0.3f;      ///< detections below it are not judged (the Detect view's)
  double iouThreshold = 0.5;        ///< as the mAP@0.5
  double localisationMinIou = 0.1;  ///< below it, a detection is on background (TIDE's 0.1)
};

/// Judges `detections` against `groundTruth`, image by image (both vectors the same length,
/// class ids in [0, numClasses): throws std::invalid_argument otherwise). True positives
/// follow the mAP's VOC rules (evaluate() in core/eval/map.h): per image, by descending
/// score (ties in index order), each detection takes the best-overlapping box of its class;
/// a true positive when IoU >= the threshold and the box is not taken, ignored when that box
/// is difficult or the detection is no true positive inside a crowd region. So at
/// iouThreshold 0.5 the true positives per class are evaluate()'s at operatingScore =
/// scoreThreshold. Then each other detection, by descending score: a duplicate when its best
/// box of its class was taken at IoU >= the threshold; else wrong class when an object of
/// another class overlaps it at IoU >= the threshold (the best one; it is paired in the
/// matrix when no detection found or paired it before); else poor localisation when the best
/// object of its class overlaps it at IoU >= localisationMinIou; else background.
ErrorAnalysis analyseErrors(const std::vector<std::vector<data::Box>>& groundTruth,
                            const std::vector<std::vector<infer::Detection>>& detections,
                            int numClasses, const ErrorAnalysisOptions& options = {});

}  // namespace yolo::eval
