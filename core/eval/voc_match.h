#pragma once
// The PASCAL VOC devkit's matching of one detection against the ground truth of its class in
// its image, shared by the mAP evaluator (core/eval/map.h) and the error analysis
// (core/eval/error_analysis.h), so both count the same true positives.

#include <cstddef>
#include <vector>

#include "core/data/box.h"
#include "core/infer/detector.h"

namespace yolo::eval {

/// The PASCAL VOC threshold: a detection is a true positive at IoU >= 0.5 (the tutorial's
/// MINOVERLAP).
inline constexpr double kVocMinOverlap = 0.5;

struct VocMatch {
  int candidate = -1;  ///< position in `candidates` of the best-overlapping object or difficult box
  double overlap = -1;   ///< its IoU (VOC "+1 pixel" convention); -1 when none overlaps
  bool inCrowd = false;  ///< kVocMinOverlap or more of the detection lies in a crowd region
};

/// The best match of `detection` among truth[i] for i in `candidates` (the boxes of the
/// detection's class): highest iouVoc among objects and difficult boxes, the first on ties;
/// crowd regions are not matched, only checked for coverage (pycocotools' crowd overlap:
/// intersection over the detection's own area).
VocMatch bestVocMatch(const infer::Detection& detection, const std::vector<data::Box>& truth,
                      const std::vector<int>& candidates);

/// Throws std::invalid_argument, "CALLER: WHAT of image I has class C, expected 0..N-1",
/// unless 0 <= classId < numClasses.
void checkClassId(const char* caller, int classId, int numClasses, std::size_t image,
                  const char* what);

/// The share of `detection`'s area inside `region`.
double coverage(const infer::Detection& detection, const data::Box& region);

}  // namespace yolo::eval
