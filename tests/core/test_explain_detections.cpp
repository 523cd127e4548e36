// Explaining detections: a flat candidate row traced to its head, cell and anchor; a
// hand-made network output whose detections, NMS victims and one-label-per-object victims
// are known; "why nothing here"; and the Detector's explanations matching its detections.

#include <torch/torch.h>

#include <gtest/gtest.h>

#include "core/infer/detection_explanation.h"
#include "core/infer/explain_detections.h"
#include "core/infer/postprocess.h"

using namespace yolo;
using namespace yolo::infer;

namespace {

// Two heads of a 128-pixel input: stride 32 (4 x 4 cells) and stride 16 (8 x 8), 3 anchors.
std::vector<HeadLayout> twoHeads() {
  return {{32, 4, 4, {{{81, 82}}, {{135, 169}}, {{344, 319}}}},
          {16, 8, 8, {{{10, 14}}, {{23, 27}}, {{37, 58}}}}};
}

// A candidate row: centre, size (network pixels), objectness, two class probabilities.
std::vector<float> row(float cx, float cy, float w, float h, float objectness, float p0, float p1) {
  return {cx, cy, w, h, objectness, p0, p1};
}

torch::Tensor table(const std::vector<std::vector<float>>& rows) {
  auto t = torch::empty({static_cast<int64_t>(rows.size()), 7});
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t k = 0; k < 7; ++k) t[static_cast<int64_t>(i)][static_cast<int64_t>(k)] = rows[i][k];
  return t;
}

LetterboxGeometry identity() {
  LetterboxGeometry g;
  g.scaleX = g.scaleY = 1.f;
  g.offsetX = g.offsetY = 0;
  return g;
}

}  // namespace

TEST(ExplainDetections, AFlatRowIsTracedToItsHeadCellAndAnchor) {
  const auto heads = twoHeads();
  CandidateOrigin o = originOf(0, heads);
  EXPECT_EQ(o.head, 0);
  EXPECT_EQ(o.stride, 32);
  EXPECT_EQ(o.cellX, 0);
  EXPECT_EQ(o.cellY, 0);
  EXPECT_EQ(o.anchor, 0);
  // (cellY 2 * 4 + cellX 1) * 3 + anchor 2
  o = originOf(29, heads);
  EXPECT_EQ(o.head, 0);
  EXPECT_EQ(o.cellX, 1);
  EXPECT_EQ(o.cellY, 2);
  EXPECT_EQ(o.anchor, 2);
  EXPECT_EQ(o.anchorWidth, 344.f);
  // The second head's rows follow the first's 48: (cellY 7 * 8 + cellX 5) * 3 + 1.
  o = originOf(48 + (7 * 8 + 5) * 3 + 1, heads);
  EXPECT_EQ(o.head, 1);
  EXPECT_EQ(o.stride, 16);
  EXPECT_EQ(o.cellX, 5);
  EXPECT_EQ(o.cellY, 7);
  EXPECT_EQ(o.anchor, 1);
  EXPECT_EQ(o.anchorHeight, 27.f);
  EXPECT_THROW(originOf(48 + 192, heads), std::out_of_range);
}

TEST(ExplainDetections, EachDetectionListsWhatNmsAndTheOneLabelRuleRemovedForIt) {
  const auto candidates = table({
      row(60, 60, 40, 40, 0.9f, 0.9f, 0.1f),    // 0: a "0", score 0.81
      row(62, 61, 40, 40, 0.8f, 0.8f, 0.2f),    // 1: the same "0" again, 0.64: NMS removes it
      row(110, 110, 16, 16, 0.5f, 0.1f, 0.9f),  // 2: a "1" elsewhere, 0.45
      row(60, 60, 12, 30, 0.7f, 0.2f, 0.8f),    // 3: a "1" inside the "0", 0.56: the one-label rule
      row(20, 100, 16, 16, 0.2f, 0.5f, 0.1f),   // 4: a faint "0", 0.10: below the threshold
  });
  const auto origins = torch::tensor({0, 1, 60, 2, 100}, torch::kLong);
  DetectOptions options;
  options.scoreThreshold = 0.3f;
  options.iouThreshold = 0.45f;
  options.insideCover = kOneLabelPerObjectCover;
  const std::vector<std::string> names = {"zero", "one"};

  const auto explained =
      explainDetections(candidates, origins, twoHeads(), identity(), 128, 128, options, names);
  ASSERT_EQ(explained.size(), 2u);
  const DetectionExplanation& zero = explained[0];
  EXPECT_EQ(zero.candidate.box.className, "zero");
  EXPECT_FLOAT_EQ(zero.candidate.box.score, 0.81f);
  EXPECT_FLOAT_EQ(zero.scoreAfterNms, 0.81f);
  EXPECT_FLOAT_EQ(zero.candidate.box.x1, 40.f);
  EXPECT_FLOAT_EQ(zero.candidate.box.y2, 80.f);
  EXPECT_FLOAT_EQ(zero.candidate.objectness, 0.9f);
  ASSERT_EQ(zero.candidate.topClasses.size(), 2u);  // only two classes
  EXPECT_EQ(zero.candidate.topClasses[0].className, "zero");
  EXPECT_FLOAT_EQ(zero.candidate.topClasses[1].probability, 0.1f);
  EXPECT_EQ(zero.candidate.origin.head, 0);
  EXPECT_EQ(zero.candidate.origin.anchor, 0);

  ASSERT_EQ(zero.suppressed.size(), 2u);
  const SuppressedCandidate& again = zero.suppressed[0];
  EXPECT_EQ(again.why, SuppressedCandidate::Why::kOverlap);
  EXPECT_FLOAT_EQ(again.candidate.box.score, 0.64f);
  // Boxes [40, 80) and [42, 82) x [41, 81): intersection 38 x 39.
  EXPECT_NEAR(again.overlap, 38.f * 39.f / (2 * 1600.f - 38.f * 39.f), 1e-6);
  EXPECT_EQ(again.candidate.origin.anchor, 1);
  const SuppressedCandidate& inside = zero.suppressed[1];
  EXPECT_EQ(inside.why, SuppressedCandidate::Why::kInside);
  EXPECT_EQ(inside.candidate.box.className, "one");
  EXPECT_FLOAT_EQ(inside.overlap, 1.f);  // wholly inside

  const DetectionExplanation& one = explained[1];
  EXPECT_EQ(one.candidate.box.className, "one");
  EXPECT_TRUE(one.suppressed.empty());
  EXPECT_EQ(one.candidate.origin.head, 1);

  // Without the one-label rule the inner "1" is a detection of its own.
  options.insideCover = 1.f;
  EXPECT_EQ(explainDetections(candidates, origins, twoHeads(), identity(), 128, 128, options, names)
                .size(),
            3u);
  options.insideCover = kOneLabelPerObjectCover;

  // Why nothing (else) here: the strongest candidate that is not a detection.
  auto at = [&](float x, float y) {
    return strongestUndetectedAt(x, y, candidates, origins, twoHeads(), identity(), 128, 128,
                                 options, names);
  };
  ASSERT_TRUE(at(60, 60));
  EXPECT_FLOAT_EQ(at(60, 60)->box.score, 0.64f);  // the "0" NMS removed
  ASSERT_TRUE(at(20, 100));
  EXPECT_NEAR(at(20, 100)->box.score, 0.1f, 1e-6);
  EXPECT_FLOAT_EQ(at(20, 100)->objectness, 0.2f);
  EXPECT_FALSE(at(120, 10));
}
