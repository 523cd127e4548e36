#include "core/data/dataset_stats.h"

#include <algorithm>

namespace yolo::data {

DatasetStats computeStats(const std::vector<Sample>& samples, int numClasses) {
  DatasetStats stats;
  stats.images = static_cast<int>(samples.size());
  stats.boxesPerClass.assign(std::max(0, numClasses), 0);
  double areaSum = 0.0;
  for (const Sample& sample : samples) {
    if (sample.boxes.empty()) ++stats.imagesWithoutBoxes;
    stats.maxBoxesPerImage =
        std::max(stats.maxBoxesPerImage, static_cast<int>(sample.boxes.size()));
    for (const Box& box : sample.boxes) {
      const float w = box.width();
      const float h = box.height();
      if (box.classId >= 0 && box.classId < numClasses) {
        ++stats.boxesPerClass[box.classId];
      } else {
        ++stats.otherClassBoxes;
      }
      stats.boxSizes.push_back({w, h, box.classId});
      stats.minSide = stats.boxes == 0 ? std::min(w, h) : std::min({stats.minSide, w, h});
      stats.maxSide = std::max({stats.maxSide, w, h});
      areaSum += static_cast<double>(w) * h;
      ++stats.boxes;
    }
  }
  if (stats.boxes > 0) stats.meanArea = static_cast<float>(areaSum / stats.boxes);
  return stats;
}

}  // namespace yolo::data
