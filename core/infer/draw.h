#pragma once
// Annotates images with detections: a box and a "name score" label per object. Torch-free.

#include <vector>

#include <opencv2/core.hpp>

#include "core/infer/detector.h"

namespace yolo::infer {

struct DrawOptions {
  bool showLabel = true;
  bool showScore = true;
  /// Line thickness in pixels; 0 picks one from the image size (readable at any size).
  int thickness = 0;
  /// OpenCV font scale; 0 picks one from the image size.
  double fontScale = 0;
};

/// The fixed colour of a class (BGR), from a 20-colour palette that repeats.
cv::Scalar classColor(int classId);

/// Draws `detections` (original-image pixels) onto `image`, which must be 8-bit BGR
/// (toBgr8() converts anything else). Labels sit above the box, or inside it at the top
/// edge of the image, on a filled background of the class colour.
void drawDetections(cv::Mat& image, const std::vector<Detection>& detections,
                    const DrawOptions& options = {});

}  // namespace yolo::infer
