// analyseErrors: each detection and object of hand-made cases sorted into its error kind,
// the confusion matrix's cells counted by hand, and the true positives the mAP's.

#include <gtest/gtest.h>

#include <random>

#include "core/eval/error_analysis.h"
#include "core/eval/map.h"
#include "tests/core/eval_cases.h"

using namespace yolo::eval;
using yolo::data::Box;
using yolo::infer::Detection;
using yolo::test::objectBox;

namespace {

Detection detection(float x1, float y1, float x2, float y2, int classId, float score) {
  Detection d;
  d.x1 = x1;
  d.y1 = y1;
  d.x2 = x2;
  d.y2 = y2;
  d.classId = classId;
  d.score = score;
  return d;
}

const DetectionVerdict& verdictOf(const ImageErrors& image, int detection) {
  for (const auto& v : image.detections)
    if (v.detection == detection) return v;
  throw std::runtime_error("detection " + std::to_string(detection) + " was not judged");
}

}  // namespace

TEST(ErrorAnalysis, EachKindOfErrorInOneImage) {
  // Objects: A (class 0), B (class 1), C (class 2), D (class 0, never detected).
  const std::vector<Box> truth = {objectBox(0, 0, 100, 100, 0), objectBox(200, 200, 300, 300, 1),
                                  objectBox(400, 0, 450, 50, 2), objectBox(0, 300, 40, 340, 0)};
  const std::vector<Detection> found = {
      detection(0, 0, 100, 100, 0, 0.9f),      // 0: A, right class
      detection(5, 5, 105, 105, 0, 0.8f),      // 1: A again (IoU 0.82): duplicate
      detection(200, 200, 300, 300, 2, 0.7f),  // 2: on B as class 2: wrong class
      detection(425, 0, 475, 50, 2, 0.5f),     // 3: beside C (IoU 0.34): poor localisation
      detection(600, 600, 650, 650, 0, 0.4f),  // 4: on nothing: background
      detection(0, 300, 40, 340, 0, 0.1f),     // 5: on D, below the score threshold
  };
  const ErrorAnalysis a = analyseErrors({truth}, {found}, 3, {0.3f, 0.5, 0.1});
  ASSERT_EQ(a.images.size(), 1u);
  const ImageErrors& image = a.images[0];
  ASSERT_EQ(image.detections.size(), 5u);  // the 0.1 one is not judged
  for (size_t k = 0; k < image.detections.size(); ++k)
    EXPECT_EQ(image.detections[k].detection, static_cast<int>(k));  // by descending score

  EXPECT_EQ(verdictOf(image, 0).outcome, DetectionOutcome::kTruePositive);
  EXPECT_EQ(verdictOf(image, 0).object, 0);
  EXPECT_DOUBLE_EQ(verdictOf(image, 0).iou, 1.0);
  EXPECT_EQ(verdictOf(image, 1).outcome, DetectionOutcome::kDuplicate);
  EXPECT_EQ(verdictOf(image, 1).object, 0);
  EXPECT_NEAR(verdictOf(image, 1).iou, 96.0 * 96 / (2 * 101.0 * 101 - 96.0 * 96), 1e-9);
  EXPECT_EQ(verdictOf(image, 2).outcome, DetectionOutcome::kWrongClass);
  EXPECT_EQ(verdictOf(image, 2).object, 1);
  EXPECT_EQ(verdictOf(image, 3).outcome, DetectionOutcome::kPoorLocalisation);
  EXPECT_EQ(verdictOf(image, 3).object, 2);
  EXPECT_NEAR(verdictOf(image, 3).iou, 26.0 * 51 / (2 * 51.0 * 51 - 26.0 * 51), 1e-9);
  EXPECT_EQ(verdictOf(image, 4).outcome, DetectionOutcome::kBackground);
  EXPECT_EQ(verdictOf(image, 4).object, -1);

  ASSERT_EQ(image.objects.size(), 4u);
  EXPECT_EQ(image.objects[0].outcome, ObjectOutcome::kFound);
  EXPECT_EQ(image.objects[0].detection, 0);
  EXPECT_EQ(image.objects[1].outcome, ObjectOutcome::kFoundAsOtherClass);
  EXPECT_EQ(image.objects[1].detection, 2);
  EXPECT_EQ(image.objects[2].outcome, ObjectOutcome::kPoorlyLocated);
  EXPECT_EQ(image.objects[2].detection, 3);
  EXPECT_EQ(image.objects[3].outcome, ObjectOutcome::kMissed);
  EXPECT_EQ(image.objects[3].detection, -1);
  EXPECT_EQ(image.errorCount(), 4 + 3);  // four false positives, three objects not found

  const ErrorCounts& n = a.counts;
  EXPECT_EQ(n.truePositives, 1);
  EXPECT_EQ(n.duplicates, 1);
  EXPECT_EQ(n.wrongClass, 1);
  EXPECT_EQ(n.poorLocalisation, 1);
  EXPECT_EQ(n.background, 1);
  EXPECT_EQ(n.falsePositives(), 4);
  EXPECT_EQ(n.objects, 4);
  EXPECT_EQ(n.foundAsOtherClass, 1);
  EXPECT_EQ(n.poorlyLocated, 1);
  EXPECT_EQ(n.missed, 1);
  EXPECT_EQ(n.falseNegatives(), 3);

  // Rows: truth 0, 1, 2, background; columns: predicted 0, 1, 2, background.
  const ConfusionMatrix& m = a.confusion;
  const std::vector<std::vector<int>> expected = {
      {1, 0, 0, 1},  // A found; D missed
      {0, 0, 1, 0},  // B read as a 2
      {0, 0, 0, 1},  // C not found (its poorly placed box is no partner)
      {2, 0, 1, 0},  // the duplicate and the background box (class 0); the misplaced 2
  };
  for (int t = 0; t < 4; ++t)
    for (int p = 0; p < 4; ++p) EXPECT_EQ(m.at(t, p), expected[t][p]) << t << "," << p;
  ASSERT_EQ(m.casesAt(1, 2).size(), 1u);
  EXPECT_EQ(m.casesAt(1, 2)[0].object, 1);
  EXPECT_EQ(m.casesAt(1, 2)[0].detection, 2);
  ASSERT_EQ(m.casesAt(0, 3).size(), 1u);
  EXPECT_EQ(m.casesAt(0, 3)[0].object, 3);
  EXPECT_EQ(m.casesAt(0, 3)[0].detection, -1);
  ASSERT_EQ(m.casesAt(3, 0).size(), 2u);
  EXPECT_EQ(m.casesAt(3, 0)[0].detection, 1);
  EXPECT_EQ(m.casesAt(3, 0)[1].detection, 4);
}

TEST(ErrorAnalysis, AWrongClassBoxOnAFoundObjectIsNoSecondPartner) {
  const std::vector<Box> truth = {objectBox(200, 200, 300, 300, 1)};
  const std::vector<Detection> found = {detection(200, 200, 300, 300, 2, 0.8f),
                                        detection(202, 200, 300, 300, 1, 0.6f)};
  const ErrorAnalysis a = analyseErrors({truth}, {found}, 3);
  const ImageErrors& image = a.images[0];
  EXPECT_EQ(verdictOf(image, 1).outcome, DetectionOutcome::kTruePositive);  // though lower
  EXPECT_EQ(verdictOf(image, 0).outcome, DetectionOutcome::kWrongClass);
  EXPECT_EQ(image.objects[0].outcome, ObjectOutcome::kFound);
  EXPECT_EQ(a.confusion.at(1, 1), 1);
  EXPECT_EQ(a.confusion.at(1, 2), 0);
  EXPECT_EQ(a.confusion.at(3, 2), 1);  // an extra box, on background's row
}

TEST(ErrorAnalysis, DifficultObjectsAndCrowdRegionsAreNeitherFoundNorErrors) {
  const std::vector<Box> truth = {objectBox(0, 0, 50, 50, 0, Box::Kind::difficult),
                                  objectBox(100, 100, 300, 300, 0, Box::Kind::crowd)};
  const std::vector<Detection> found = {detection(0, 0, 50, 50, 0, 0.9f),
                                        detection(150, 150, 200, 200, 0, 0.8f)};
  const ErrorAnalysis a = analyseErrors({truth}, {found}, 1);
  EXPECT_EQ(a.counts.ignored, 2);
  EXPECT_EQ(a.counts.objects, 0);
  EXPECT_EQ(a.images[0].errorCount(), 0);
  for (int t = 0; t < 2; ++t)
    for (int p = 0; p < 2; ++p) EXPECT_EQ(a.confusion.at(t, p), 0);
}

TEST(ErrorAnalysis, TruePositivesAndFalsePositivesAreTheMapsAtTheSameScore) {
  // Random pages: objects of 3 classes, detections near them (some shifted, some relabelled,
  // some doubled) and on empty places; difficult boxes and crowd regions among the truth.
  std::mt19937 random(7);
  std::uniform_real_distribution<float> unit(0.f, 1.f);
  std::vector<std::vector<Box>> truth(30);
  std::vector<std::vector<Detection>> found(30);
  for (size_t i = 0; i < truth.size(); ++i) {
    for (int k = 0; k < 6; ++k) {
      const float x = 400 * unit(random), y = 400 * unit(random), s = 20 + 60 * unit(random);
      const int c = static_cast<int>(3 * unit(random)) % 3;
      const float kind = unit(random);
      truth[i].push_back(objectBox(x, y, x + s, y + s, c,
                                   kind < 0.1f    ? Box::Kind::difficult
                                   : kind < 0.15f ? Box::Kind::crowd
                                                  : Box::Kind::object));
      for (int copy = 0; copy < 2; ++copy) {
        const float dx = s * 0.6f * (unit(random) - 0.5f);
        const int dc = unit(random) < 0.2f ? (c + 1) % 3 : c;
        found[i].push_back(detection(x + dx, y + dx, x + s + dx, y + s, dc, unit(random)));
      }
    }
    found[i].push_back(detection(450, 450, 480, 480, 0, unit(random)));
  }
  for (const float score : {0.f, 0.3f, 0.7f}) {
    EvaluateOptions options;
    options.operatingScore = score;
    const EvaluationResult map = evaluate(truth, found, 3, options);
    const ErrorAnalysis a = analyseErrors(truth, found, 3, {score, 0.5, 0.1});
    std::vector<int> tp(3), fp(3);
    for (const ImageErrors& image : a.images)
      for (const DetectionVerdict& v : image.detections) {
        const int c =
            found[static_cast<size_t>(image.image)][static_cast<size_t>(v.detection)].classId;
        if (v.outcome == DetectionOutcome::kTruePositive) ++tp[static_cast<size_t>(c)];
        if (v.outcome != DetectionOutcome::kTruePositive && v.outcome != DetectionOutcome::kIgnored)
          ++fp[static_cast<size_t>(c)];
      }
    for (int c = 0; c < 3; ++c) {
      EXPECT_EQ(tp[static_cast<size_t>(c)], map.perClass[static_cast<size_t>(c)].truePositives)
          << "class " << c << " at " << score;
      EXPECT_EQ(fp[static_cast<size_t>(c)], map.perClass[static_cast<size_t>(c)].falsePositives)
          << "class " << c << " at " << score;
      // Each object of a class is counted once in its row.
      int row = 0;
      for (int p = 0; p <= 3; ++p) row += a.confusion.at(c, p);
      EXPECT_EQ(row, map.perClass[static_cast<size_t>(c)].groundTruth) << "class " << c;
    }
    EXPECT_GT(a.counts.truePositives, 0);
    EXPECT_GT(a.counts.falsePositives(), 0);
  }
}

TEST(ErrorAnalysis, AClassOutOfRangeIsNamed) {
  try {
    analyseErrors({{objectBox(0, 0, 10, 10, 5)}}, {{}}, 3);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("image 0 has class 5"), std::string::npos) << e.what();
  }
  EXPECT_THROW(analyseErrors({{}}, {}, 3), std::invalid_argument);
}
