#pragma once
// Detection quality: mAP@0.5 exactly as the TF2 tutorial's evaluator computes it (PASCAL VOC
// rules, all-point interpolation) and COCO-style mAP@0.5:0.95, per-class precision, recall
// and PR curves. Plain data and pure functions, torch-free: the GUI plots these directly.

#include <string>
#include <vector>

#include "core/data/box.h"
#include "core/infer/detector.h"

namespace yolo::eval {

/// Ground truth: a data::Box (x1, y1, x2, y2 in image pixels, classId).
using GroundTruthBox = data::Box;
/// A detection: infer::Detection (x1, y1, x2, y2 in image pixels, score, classId).
using Detection = infer::Detection;

/// One point of a class's precision/recall curve: the values after the detections with
/// scores >= `score` (in evaluation order) at IoU 0.5, VOC matching. Not interpolated.
struct PrPoint {
  float recall = 0;
  float precision = 0;
  float score = 0;
};

struct ClassEvaluation {
  int classId = 0;
  std::string name;
  int groundTruth = 0;        ///< ground-truth objects of this class (Box::Kind::object)
  int ignoredRegions = 0;     ///< difficult objects and crowd regions of this class
  int detections = 0;         ///< detections of this class, all scores
  int ignoredDetections = 0;  ///< at IoU 0.5, on an ignored region: neither TP nor FP
  int truePositives = 0;      ///< at IoU 0.5 (VOC matching), detections >= operatingScore
  int falsePositives = 0;     ///< likewise
  double ap50 = 0;            ///< VOC all-point AP at IoU 0.5; 0 when groundTruth == 0
  double ap50_95 = 0;         ///< COCO 101-point AP averaged over IoU 0.50:0.05:0.95
  double precision = 0;       ///< TP / (TP + FP) at the operating score; 0 without detections
  double recall = 0;          ///< TP / groundTruth at the operating score; 0 without ground truth
  std::vector<PrPoint> prCurve;  ///< one point per detection, by descending score

  /// A class enters the means only when it has ground truth. A class that is detected but
  /// absent from the ground truth (all its detections false positives) is reported with
  /// precision 0 but does not pull the mean down: the tutorial's evaluator iterates over the
  /// ground-truth classes only, and we keep its mAP.
  bool inMean() const { return groundTruth > 0; }
};

struct EvaluationResult {
  double map50 = 0;     ///< mean of ap50 over the classes with ground truth (0 when none)
  double map50_95 = 0;  ///< mean of ap50_95 over the same classes
  int classesInMean = 0;
  int images = 0;
  int groundTruthBoxes = 0;  ///< objects to find (Box::Kind::object)
  int ignoredRegions = 0;    ///< difficult objects and crowd regions
  int detections = 0;
  float operatingScore = 0;               ///< the score threshold precision/recall/TP/FP refer to
  std::vector<ClassEvaluation> perClass;  ///< numClasses entries, index = classId
  /// Images left out because they could not be read, each "path: why" (evaluateNetwork).
  std::vector<std::string> unreadableImages;
};

struct EvaluateOptions {
  /// Precision, recall, TP and FP count detections with score >= this (the APs use all).
  float operatingScore = 0.f;
  /// Names for perClass[i].name; the id as text where missing.
  std::vector<std::string> classNames;
  /// Fill ClassEvaluation::prCurve.
  bool prCurves = true;
};

/// Evaluates detections against ground truth, image by image: groundTruth[i] and
/// detections[i] belong to image i (both vectors the same length). Class ids must lie in
/// [0, numClasses); throws std::invalid_argument otherwise, naming the image and the id.
///
/// VOC / tutorial rules (ap50): per class, the detections of all images sorted by descending
/// score (stable: ties keep image order); each is matched to the ground-truth box of the same
/// class and image with the highest IoU, computed with the VOC "+1 pixel" convention
/// (w = x2 - x1 + 1); TP when that IoU >= 0.5 and the box is not matched yet, else FP (no
/// fallback to the second-best box); AP is the area under the monotone precision envelope at
/// every recall step (all-point interpolation, VOC2010+).
///
/// COCO rules (ap50_95): IoU without the +1; per image, detections by descending score are
/// matched greedily to the unmatched box of highest IoU >= t; precision sampled at the 101
/// recalls 0, 0.01, ..., 1; averaged over t = 0.50, 0.55, ..., 0.95. No area ranges, no
/// per-image cap (post-processing caps the detections already).
///
/// Ignored ground truth (Box::Kind::difficult, Box::Kind::crowd) is neither to be found nor
/// a place for false positives. VOC rules: a detection whose best match is a difficult box is
/// dropped from the ranking (the devkit's rule). COCO rules: a detection that matches no
/// object is dropped when it matches an unmatched difficult box at IoU >= t. Under both, a
/// detection that is no true positive is dropped when at least the threshold's share of its
/// area lies in a crowd region of its class (pycocotools' crowd overlap); a crowd region may
/// take any number of detections.
EvaluationResult evaluate(const std::vector<std::vector<GroundTruthBox>>& groundTruth,
                          const std::vector<std::vector<Detection>>& detections, int numClasses,
                          const EvaluateOptions& options = {});

/// The tutorial's voc_ap: recall and precision per detection (in score order) -> AP with
/// all-point interpolation. Exposed for tests.
double vocAllPointAp(const std::vector<double>& recall, const std::vector<double>& precision);

/// COCO's 101-point interpolated AP from the same per-detection recall and precision.
double coco101PointAp(const std::vector<double>& recall, const std::vector<double>& precision);

/// IoU with the VOC "+1 pixel" convention, as the tutorial's evaluator; 0 when the boxes
/// do not overlap by at least one pixel column and row in that convention.
double iouVoc(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2,
              float by2);

/// Plain IoU (COCO): areas (x2 - x1) * (y2 - y1).
double iouPlain(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2,
                float by2);

}  // namespace yolo::eval
