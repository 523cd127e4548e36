// mAP: the tutorial's VOC evaluator and COCO-style AP on hand-computed cases.

#include <gtest/gtest.h>

#include <vector>

#include "core/eval/map.h"
#include "tests/core/eval_cases.h"

using namespace yolo::eval;

namespace {

GroundTruthBox gt(float x1, float y1, float x2, float y2, int c) { return {x1, y1, x2, y2, c}; }

constexpr auto det = yolo::test::scoredDetection;

}  // namespace

TEST(Map, VocIouUsesThePlusOnePixelConvention) {
  // 10x10 in VOC's inclusive pixels vs 10x5: overlap 50 of a union of 100.
  EXPECT_DOUBLE_EQ(iouVoc(0, 0, 9, 9, 0, 0, 9, 4), 0.5);
  // The same boxes without +1: 36 / 81.
  EXPECT_DOUBLE_EQ(iouPlain(0, 0, 9, 9, 0, 0, 9, 4), 36.0 / 81.0);
  // Boxes sharing one pixel column in VOC's convention overlap; plainly they only touch.
  EXPECT_GT(iouVoc(0, 0, 10, 10, 10, 0, 20, 10), 0.0);
  EXPECT_EQ(iouPlain(0, 0, 10, 10, 10, 0, 20, 10), 0.0);
}

TEST(Map, PerfectDetectionsScoreOne) {
  const std::vector<std::vector<GroundTruthBox>> truth{
      {gt(10, 10, 40, 40, 0), gt(50, 50, 90, 80, 3)}, {gt(0, 0, 20, 30, 3)}, {}};
  std::vector<std::vector<Detection>> dets(truth.size());
  for (size_t i = 0; i < truth.size(); ++i)
    for (const auto& b : truth[i]) dets[i].push_back(det(b.x1, b.y1, b.x2, b.y2, 0.9f, b.classId));
  const EvaluationResult r = evaluate(truth, dets, 5);
  EXPECT_DOUBLE_EQ(r.map50, 1.0);
  EXPECT_DOUBLE_EQ(r.map50_95, 1.0);
  EXPECT_EQ(r.classesInMean, 2);
  EXPECT_EQ(r.groundTruthBoxes, 3);
  ASSERT_EQ(r.perClass.size(), 5u);
  EXPECT_EQ(r.perClass[3].groundTruth, 2);
  EXPECT_DOUBLE_EQ(r.perClass[3].precision, 1.0);
  EXPECT_DOUBLE_EQ(r.perClass[3].recall, 1.0);
  EXPECT_FALSE(r.perClass[1].inMean());
}

TEST(Map, NoDetectionsScoreZero) {
  const std::vector<std::vector<GroundTruthBox>> truth{{gt(10, 10, 40, 40, 0)},
                                                       {gt(0, 0, 5, 5, 1)}};
  const EvaluationResult r = evaluate(truth, std::vector<std::vector<Detection>>(2), 2);
  EXPECT_EQ(r.map50, 0.0);
  EXPECT_EQ(r.map50_95, 0.0);
  EXPECT_EQ(r.classesInMean, 2);
  EXPECT_EQ(r.perClass[0].recall, 0.0);
  EXPECT_EQ(r.perClass[0].precision, 0.0);
  EXPECT_TRUE(r.perClass[0].prCurve.empty());
}

TEST(Map, NoGroundTruthAtAll) {
  const EvaluationResult r = evaluate({{}}, {{det(0, 0, 5, 5, 0.5f, 0)}}, 1);
  EXPECT_EQ(r.classesInMean, 0);
  EXPECT_EQ(r.map50, 0.0);
  EXPECT_EQ(r.perClass[0].falsePositives, 1);
}

TEST(Map, MixedCaseHandComputed) {
  const std::vector<std::vector<GroundTruthBox>> truth{
      {gt(0, 0, 10, 10, 0), gt(20, 20, 30, 30, 0)},
      {gt(0, 0, 10, 10, 0), gt(0, 0, 9, 9, 1)},
  };
  const std::vector<std::vector<Detection>> dets{
      {
          det(0, 0, 10, 10, 0.9f, 0),    // TP on the first box of image 0
          det(0, 0, 10, 10, 0.8f, 0),    // duplicate of it: FP
          det(50, 50, 60, 60, 0.6f, 0),  // nothing there: FP
          det(0, 0, 10, 10, 0.99f, 2),   // class 2 is not in the ground truth: FP, no mean
      },
      {
          det(0, 0, 10, 10, 0.7f, 0),  // TP
          det(0, 0, 9, 4, 0.95f, 1),   // VOC IoU 50/100 = 0.5: TP; plain IoU 36/81: no match
      },
  };
  EvaluateOptions options;
  options.operatingScore = 0.65f;
  options.classNames = {"zero", "one"};
  const EvaluationResult r = evaluate(truth, dets, 4, options);

  // Class 0 in score order: TP FP TP FP over 3 boxes. Recall 1/3 1/3 2/3 2/3, precision
  // 1 1/2 2/3 1/2. All-point AP = 1/3 * 1 + 1/3 * 2/3 = 5/9.
  const ClassEvaluation& c0 = r.perClass[0];
  EXPECT_EQ(c0.name, "zero");
  EXPECT_EQ(c0.groundTruth, 3);
  EXPECT_EQ(c0.detections, 4);
  EXPECT_NEAR(c0.ap50, 5.0 / 9.0, 1e-12);
  // COCO, every match has IoU 1 so all thresholds agree: envelope 1, 2/3, 2/3, 1/2; recall
  // points 0..0.33 read 1 (34 of them), 0.34..0.66 read 2/3 (33), the rest 0.
  EXPECT_NEAR(c0.ap50_95, (34 + 33 * 2.0 / 3.0) / 101.0, 1e-12);
  // At score >= 0.65: 0.9 TP, 0.8 FP, 0.7 TP.
  EXPECT_EQ(c0.truePositives, 2);
  EXPECT_EQ(c0.falsePositives, 1);
  EXPECT_NEAR(c0.precision, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(c0.recall, 2.0 / 3.0, 1e-12);
  ASSERT_EQ(c0.prCurve.size(), 4u);
  EXPECT_FLOAT_EQ(c0.prCurve[1].precision, 0.5f);
  EXPECT_FLOAT_EQ(c0.prCurve[2].recall, 2.f / 3.f);
  EXPECT_FLOAT_EQ(c0.prCurve[3].score, 0.6f);

  const ClassEvaluation& c1 = r.perClass[1];
  EXPECT_DOUBLE_EQ(c1.ap50, 1.0);
  EXPECT_DOUBLE_EQ(c1.ap50_95, 0.0);

  const ClassEvaluation& c2 = r.perClass[2];
  EXPECT_EQ(c2.name, "2");
  EXPECT_FALSE(c2.inMean());
  EXPECT_EQ(c2.falsePositives, 1);
  EXPECT_EQ(c2.precision, 0.0);
  EXPECT_EQ(c2.ap50, 0.0);

  EXPECT_EQ(r.classesInMean, 2);
  EXPECT_NEAR(r.map50, (5.0 / 9.0 + 1.0) / 2, 1e-12);
  EXPECT_NEAR(r.map50_95, (34 + 33 * 2.0 / 3.0) / 101.0 / 2, 1e-12);
  EXPECT_EQ(r.detections, 6);
  EXPECT_EQ(r.images, 2);
}

TEST(Map, VocMatchesOnlyTheBestOverlapNotTheNextOne) {
  // The second detection overlaps A best (already taken) and B by 0.76: VOC calls it a
  // false positive, it does not fall back to B. AP = 0.5 (recall 1/2 at precision 1).
  const std::vector<std::vector<GroundTruthBox>> truth{{gt(0, 0, 10, 10, 0), gt(2, 0, 12, 10, 0)}};
  const std::vector<std::vector<Detection>> dets{
      {det(0, 0, 10, 10, 0.9f, 0), det(0.5f, 0, 10.5f, 10, 0.8f, 0)}};
  const EvaluationResult r = evaluate(truth, dets, 1);
  EXPECT_NEAR(r.perClass[0].ap50, 0.5, 1e-12);
  // COCO matches the best *unmatched* box: the second detection takes B (plain IoU 85/115
  // = 0.739) at thresholds 0.50..0.70 (AP 1), and is a FP at 0.75..0.95 (AP 51/101).
  EXPECT_NEAR(r.perClass[0].ap50_95, (5 * 1.0 + 5 * 51.0 / 101.0) / 10, 1e-12);
}

TEST(Map, DifficultObjectsAndCrowdRegionsAreNeitherFoundNorFalsePositives) {
  GroundTruthBox difficult = gt(20, 20, 30, 30, 0), crowd = gt(40, 0, 100, 60, 0);
  difficult.kind = GroundTruthBox::Kind::difficult;
  crowd.kind = GroundTruthBox::Kind::crowd;
  const std::vector<std::vector<GroundTruthBox>> truth{{gt(0, 0, 10, 10, 0), difficult, crowd}};
  const std::vector<std::vector<Detection>> dets{{
      det(200, 200, 210, 210, 0.95f, 0),  // nothing there: FP
      det(20, 20, 30, 30, 0.9f, 0),       // on the difficult object: ignored
      det(50, 10, 60, 20, 0.85f, 0),      // inside the crowd region: ignored
      det(0, 0, 10, 10, 0.8f, 0),         // the one object: TP
      det(45, 5, 55, 15, 0.7f, 0),        // inside the crowd region again: ignored too
      det(50, 10, 60, 20, 0.6f, 1),       // inside it, but of another class: FP
  }};
  const EvaluationResult r = evaluate(truth, dets, 2);
  const ClassEvaluation& c0 = r.perClass[0];
  EXPECT_EQ(c0.groundTruth, 1);
  EXPECT_EQ(c0.ignoredRegions, 2);
  EXPECT_EQ(c0.detections, 5);
  EXPECT_EQ(c0.ignoredDetections, 3);
  EXPECT_EQ(c0.truePositives, 1);
  EXPECT_EQ(c0.falsePositives, 1);
  // Ranked without the ignored ones: FP, TP. Recall 0, 1 at precision 0, 1/2: AP 1/2 under
  // both rules (every match has IoU 1, so all COCO thresholds agree).
  EXPECT_NEAR(c0.ap50, 0.5, 1e-12);
  EXPECT_NEAR(c0.ap50_95, 0.5, 1e-12);
  ASSERT_EQ(c0.prCurve.size(), 2u);
  EXPECT_FLOAT_EQ(c0.prCurve[1].score, 0.8f);
  EXPECT_EQ(r.perClass[1].falsePositives, 1);
  EXPECT_EQ(r.perClass[1].ignoredDetections, 0);
  EXPECT_EQ(r.groundTruthBoxes, 1);
  EXPECT_EQ(r.ignoredRegions, 2);
  EXPECT_EQ(r.classesInMean, 1);
}

TEST(Map, ADetectionHalfInACrowdRegionIsIgnoredOnlyWhereTheThresholdAllows) {
  GroundTruthBox crowd = gt(0, 0, 10, 10, 0);
  crowd.kind = GroundTruthBox::Kind::crowd;
  const std::vector<std::vector<GroundTruthBox>> truth{{gt(100, 100, 110, 110, 0), crowd}};
  // Half of this detection lies in the crowd region (coverage 0.5, IoU with it only 1/3).
  const std::vector<std::vector<Detection>> dets{
      {det(5, 0, 15, 10, 0.9f, 0), det(100, 100, 110, 110, 0.8f, 0)}};
  const EvaluationResult r = evaluate(truth, dets, 1);
  // VOC at 0.5: ignored, so the TP ranks first: AP 1.
  EXPECT_EQ(r.perClass[0].ignoredDetections, 1);
  EXPECT_NEAR(r.perClass[0].ap50, 1.0, 1e-12);
  // COCO: ignored at t = 0.5 (AP 1); a FP ranked first at 0.55..0.95 (recall 1 at precision
  // 1/2: AP 1/2).
  EXPECT_NEAR(r.perClass[0].ap50_95, (1.0 + 9 * 0.5) / 10, 1e-12);
}

TEST(Map, ApFromCurves) {
  EXPECT_DOUBLE_EQ(vocAllPointAp({}, {}), 0.0);
  EXPECT_DOUBLE_EQ(vocAllPointAp({0.5, 1.0}, {1.0, 1.0}), 1.0);
  // A late rise in precision lifts the envelope before it.
  EXPECT_NEAR(vocAllPointAp({0.25, 0.25, 0.5}, {1.0, 0.5, 2.0 / 3.0}), 0.25 + 0.25 * 2.0 / 3.0,
              1e-12);
  EXPECT_DOUBLE_EQ(coco101PointAp({1.0}, {1.0}), 1.0);
  EXPECT_NEAR(coco101PointAp({0.5}, {1.0}), 51.0 / 101.0, 1e-12);
}

TEST(Map, RejectsInconsistentInput) {
  EXPECT_THROW(evaluate({{}, {}}, {{}}, 2), std::invalid_argument);
  EXPECT_THROW(evaluate({{gt(0, 0, 1, 1, 5)}}, {{}}, 2), std::invalid_argument);
  EXPECT_THROW(evaluate({{}}, {{det(0, 0, 1, 1, 0.5f, -1)}}, 2), std::invalid_argument);
}
