// Per-class hard NMS against a naive O(N^2) oracle; soft-NMS on a hand-computed case.

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/infer/nms.h"
#include "tests/core/support.h"

using namespace yolo::infer;

namespace {

class Nms : public yolo::test::SeededTest {};

/// The tutorial's nms(method='nms') loop as written: take the best remaining box, drop the
/// boxes of its class that overlap it by more than the threshold, repeat.
std::vector<int64_t> naiveNms(const torch::Tensor& boxes, const torch::Tensor& scores,
                              const torch::Tensor& classes, float iouThreshold) {
  const auto b = boxes.accessor<float, 2>();
  const auto s = scores.accessor<float, 1>();
  const auto c = classes.accessor<int64_t, 1>();
  std::vector<int64_t> remaining(static_cast<size_t>(boxes.size(0)));
  for (size_t i = 0; i < remaining.size(); ++i) remaining[i] = static_cast<int64_t>(i);
  std::vector<int64_t> keep;
  while (!remaining.empty()) {
    size_t best = 0;
    for (size_t k = 1; k < remaining.size(); ++k)
      if (s[remaining[k]] > s[remaining[best]]) best = k;
    const int64_t top = remaining[best];
    keep.push_back(top);
    remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(best));
    std::vector<int64_t> next;
    for (int64_t j : remaining) {
      float iou = 0;
      const float iw = std::min(b[top][2], b[j][2]) - std::max(b[top][0], b[j][0]);
      const float ih = std::min(b[top][3], b[j][3]) - std::max(b[top][1], b[j][1]);
      if (iw > 0 && ih > 0) {
        const float inter = iw * ih;
        const float areaTop = (b[top][2] - b[top][0]) * (b[top][3] - b[top][1]);
        const float areaJ = (b[j][2] - b[j][0]) * (b[j][3] - b[j][1]);
        iou = inter / (areaTop + areaJ - inter);
      }
      if (c[j] != c[top] || !(iou > iouThreshold)) next.push_back(j);
    }
    remaining = next;
  }
  return keep;  // already by descending score
}

torch::Tensor randomBoxes(int64_t n, float extent) {
  const auto xy = torch::rand({n, 2}) * extent;
  const auto wh = torch::rand({n, 2}) * (extent / 3) + 1;
  return torch::cat({xy, xy + wh}, 1);
}

std::vector<int64_t> toVector(const torch::Tensor& t) {
  const auto c = t.contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

}  // namespace

TEST_F(Nms, MatchesNaiveReferenceOnRandomBoxes) {
  for (int trial = 0; trial < 20; ++trial) {
    const int64_t n = 1 + trial * 15;
    const auto boxes = randomBoxes(n, 100);
    const auto scores = torch::rand({n});
    const auto classes = torch::randint(0, 1 + trial % 4, {n}, torch::kLong);
    for (float iou : {0.1f, 0.3f, 0.45f, 0.7f}) {
      const auto kept = toVector(nmsPerClass(boxes, scores, classes, iou));
      EXPECT_EQ(kept, naiveNms(boxes, scores, classes, iou)) << "trial " << trial << " iou " << iou;
    }
  }
}

TEST_F(Nms, KeepsEveryClassApart) {
  // Two identical boxes of different classes both survive; of the same class one does.
  const auto boxes = torch::tensor({0.f, 0.f, 10.f, 10.f, 0.f, 0.f, 10.f, 10.f}).view({2, 4});
  const auto scores = torch::tensor({0.6f, 0.9f});
  EXPECT_EQ(toVector(nmsPerClass(boxes, scores, torch::tensor({0, 1}), 0.45f)),
            (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(toVector(nmsPerClass(boxes, scores, torch::tensor({2, 2}), 0.45f)),
            (std::vector<int64_t>{1}));
}

TEST_F(Nms, SuppressesOnlyAboveTheThreshold) {
  // IoU exactly 0.5 (overlap 1, union 2): kept at threshold 0.5, suppressed below it.
  const auto boxes = torch::tensor({0.f, 0.f, 2.f, 1.f, 0.f, 0.f, 1.f, 1.f}).view({2, 4});
  const auto scores = torch::tensor({0.9f, 0.8f});
  const auto classes = torch::tensor({0, 0});
  EXPECT_EQ(nmsPerClass(boxes, scores, classes, 0.5f).numel(), 2);
  EXPECT_EQ(nmsPerClass(boxes, scores, classes, 0.49f).numel(), 1);
}

TEST_F(Nms, EmptyInput) {
  const auto none =
      nmsPerClass(torch::zeros({0, 4}), torch::zeros({0}), torch::zeros({0}, torch::kLong), 0.45f);
  EXPECT_EQ(none.numel(), 0);
  EXPECT_EQ(
      softNmsPerClass(torch::zeros({0, 4}), torch::zeros({0}), torch::zeros({0}, torch::kLong))
          .indices.numel(),
      0);
}

TEST_F(Nms, RejectsBadShapes) {
  EXPECT_THROW(
      nmsPerClass(torch::zeros({3, 5}), torch::zeros({3}), torch::zeros({3}, torch::kLong), 0.5f),
      c10::Error);
  EXPECT_THROW(
      nmsPerClass(torch::zeros({3, 4}), torch::zeros({2}), torch::zeros({3}, torch::kLong), 0.5f),
      c10::Error);
}

TEST_F(Nms, GaussianSoftNmsHandComputed) {
  // A (0.9) is kept first. B overlaps it with IoU 50/100 = 0.5: 0.8 * exp(-0.25/0.3).
  // F overlaps A by 0.5 too but touches B only along an edge (IoU 0): 0.6 * exp(-0.25/0.3).
  // D is far away and C is another class: both keep their scores.
  const auto boxes = torch::tensor({0.f,  0.f,  10.f, 10.f,   // A
                                    0.f,  0.f,  10.f, 5.f,    // B
                                    0.f,  0.f,  10.f, 10.f,   // C, class 1
                                    20.f, 20.f, 30.f, 30.f,   // D
                                    0.f,  5.f,  10.f, 10.f})  // F
                         .view({5, 4});
  const auto scores = torch::tensor({0.9f, 0.8f, 0.7f, 0.5f, 0.6f});
  const auto classes = torch::tensor({0, 0, 1, 0, 0});
  const float decay = std::exp(-0.25f / 0.3f);

  const SoftNmsResult all = softNmsPerClass(boxes, scores, classes, /*sigma=*/0.3f, 0.f);
  EXPECT_EQ(toVector(all.indices), (std::vector<int64_t>{0, 2, 3, 1, 4}));
  const std::vector<float> expected{0.9f, 0.7f, 0.5f, 0.8f * decay, 0.6f * decay};
  ASSERT_EQ(all.scores.numel(), 5);
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(all.scores[i].item<float>(), expected[i], 1e-6);

  // Re-thresholded: 0.8 * 0.4346 = 0.348 and 0.6 * 0.4346 = 0.261 fall below 0.3.
  const SoftNmsResult strict = softNmsPerClass(boxes, scores, classes, 0.3f, 0.3f);
  EXPECT_EQ(toVector(strict.indices), (std::vector<int64_t>{0, 2, 3, 1}));
  const SoftNmsResult stricter = softNmsPerClass(boxes, scores, classes, 0.3f, 0.35f);
  EXPECT_EQ(toVector(stricter.indices), (std::vector<int64_t>{0, 2, 3}));
}

TEST_F(Nms, OneBoxPerObjectDropsBoxesInsideABetterBoxOfAnyClass) {
  // Visited by score: a stroke of a drawn 7 read as a 1 (0.95), the 7 (0.9, 60% inside the
  // 1's box), a 2 beside it (0.8, 10% inside either), the same 7 read as a 1 again (0.5,
  // wholly inside the 7, 60% inside the first 1), and a second, nested 7 (0.4: wholly inside
  // the 7, two thirds inside the first 1), which per-class NMS keeps (IoU 0.3 with the 7).
  const auto boxes = torch::tensor({{100.f, 100.f, 200.f, 260.f},    // 0: 7, 0.9
                                    {140.f, 100.f, 200.f, 260.f},    // 1: 1, 0.95
                                    {100.f, 116.f, 200.f, 260.f},    // 2: 1, 0.5
                                    {190.f, 100.f, 290.f, 260.f},    // 3: 2, 0.8
                                    {120.f, 120.f, 180.f, 200.f}});  // 4: 7, 0.4
  const auto scores = torch::tensor({0.9f, 0.95f, 0.5f, 0.8f, 0.4f});
  const auto classes = torch::tensor({7, 1, 1, 2, 7}, torch::kLong);
  auto kept = [&](float cover) {
    const auto k = dropBoxesInsideBetterOnes(boxes, scores, cover);
    return std::vector<int64_t>(k.data_ptr<int64_t>(), k.data_ptr<int64_t>() + k.size(0));
  };
  EXPECT_EQ(kept(0.8f), (std::vector<int64_t>{1, 0, 3}));  // boxes 2 and 4, wholly inside
  EXPECT_EQ(kept(0.6f), (std::vector<int64_t>{1, 0, 3}));  // 0.6 is not above 0.6
  // At 0.5 the 7 falls to the 1, and boxes 2 and 4 (more than half inside the 1) with it.
  EXPECT_EQ(kept(0.5f), (std::vector<int64_t>{1, 3}));
  // Per-class NMS drops box 2 (IoU 0.56 with box 1) but keeps the nested 7 (IoU 0.3).
  EXPECT_EQ(toVector(nmsPerClass(boxes, scores, classes, 0.45f)),
            (std::vector<int64_t>{1, 0, 3, 4}));
  EXPECT_EQ(kept(1.f), (std::vector<int64_t>{1, 0, 3, 2, 4}));
}
