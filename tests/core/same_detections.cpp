#include "tests/core/same_detections.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "core/infer/nms.h"

namespace yolo::test {

namespace {

float boxIou(const infer::Detection& a, const infer::Detection& b) {
  const float boxA[] = {a.x1, a.y1, a.x2, a.y2}, boxB[] = {b.x1, b.y1, b.x2, b.y2};
  return infer::boxIou(boxA, boxB);  // the overlap NMS uses
}

}  // namespace

void expectSameDetections(const std::vector<infer::Detection>& actual,
                          const std::vector<infer::Detection>& expected) {
  EXPECT_EQ(actual.size(), expected.size()) << "a pipeline found other boxes";
  std::vector<bool> paired(actual.size(), false);
  for (std::size_t e = 0; e < expected.size(); ++e) {
    const infer::Detection& want = expected[e];
    int best = -1;
    float bestIou = -1.f;
    for (std::size_t a = 0; a < actual.size(); ++a) {
      if (paired[a] || actual[a].classId != want.classId) continue;
      const float iou = boxIou(actual[a], want);
      if (iou > bestIou) bestIou = iou, best = static_cast<int>(a);
    }
    ASSERT_GE(best, 0) << "no detection of class " << want.classId << " for expected #" << e
                       << " at " << want.x1 << "," << want.y1 << "," << want.x2 << "," << want.y2;
    paired[best] = true;
    const infer::Detection& got = actual[best];
    EXPECT_GE(bestIou, 0.99f) << "expected #" << e << " (" << want.x1 << "," << want.y1 << ","
                              << want.x2 << "," << want.y2 << ") against (" << got.x1 << ","
                              << got.y1 << "," << got.x2 << "," << got.y2 << ")";
    EXPECT_LE(std::fabs(got.score - want.score), 1e-3f * want.score)
        << "expected #" << e << " score " << want.score << " against " << got.score;
  }
}

}  // namespace yolo::test
