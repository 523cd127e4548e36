#include "core/eval/voc_match.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/eval/map.h"

namespace yolo::eval {

void checkClassId(const char* caller, int classId, int numClasses, std::size_t image,
                  const char* what) {
  if (classId < 0 || classId >= numClasses)
    throw std::invalid_argument(std::string(caller) + ": " + what + " of image " +
                                std::to_string(image) + " has class " + std::to_string(classId) +
                                ", expected 0.." + std::to_string(numClasses - 1));
}

double coverage(const infer::Detection& d, const data::Box& region) {
  const double iw = static_cast<double>(std::min(d.x2, region.x2)) - std::max(d.x1, region.x1);
  const double ih = static_cast<double>(std::min(d.y2, region.y2)) - std::max(d.y1, region.y1);
  const double area = (static_cast<double>(d.x2) - d.x1) * (static_cast<double>(d.y2) - d.y1);
  if (iw <= 0 || ih <= 0 || area <= 0) return 0;
  return iw * ih / area;
}

VocMatch bestVocMatch(const infer::Detection& d, const std::vector<data::Box>& truth,
                      const std::vector<int>& candidates) {
  VocMatch m;
  for (size_t k = 0; k < candidates.size(); ++k) {
    const data::Box& b = truth[static_cast<size_t>(candidates[k])];
    if (b.kind == data::Box::Kind::crowd) {
      m.inCrowd = m.inCrowd || coverage(d, b) >= kVocMinOverlap;
      continue;
    }
    const double ov = iouVoc(d.x1, d.y1, d.x2, d.y2, b.x1, b.y1, b.x2, b.y2);
    if (ov > 0 && ov > m.overlap) {
      m.overlap = ov;
      m.candidate = static_cast<int>(k);
    }
  }
  return m;
}

}  // namespace yolo::eval
