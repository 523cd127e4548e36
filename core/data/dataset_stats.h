#pragma once
// Summary numbers of a set of samples, for the statistics panel and the CLI.

#include <vector>

#include "core/data/box.h"

namespace yolo::data {

struct BoxSize {
  float width = 0.f;   ///< pixels
  float height = 0.f;  ///< pixels
  int classId = 0;
};

struct DatasetStats {
  int images = 0;
  int imagesWithoutBoxes = 0;
  int boxes = 0;
  /// boxesPerClass[c] for c < numClasses; boxes with classId outside [0, numClasses) are
  /// counted in `otherClassBoxes` instead.
  std::vector<int> boxesPerClass;
  int otherClassBoxes = 0;
  std::vector<BoxSize> boxSizes;  ///< every box, in sample order
  int maxBoxesPerImage = 0;
  float minSide = 0.f;   ///< smallest of min(width, height) over boxes; 0 when no boxes
  float maxSide = 0.f;   ///< largest of max(width, height) over boxes; 0 when no boxes
  float meanArea = 0.f;  ///< pixels^2; 0 when no boxes
};

DatasetStats computeStats(const std::vector<Sample>& samples, int numClasses);

}  // namespace yolo::data
