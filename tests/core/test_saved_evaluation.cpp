// Evaluations kept in a run folder: written and read back with the same figures, listed by
// epoch, and a damaged file named with what is wrong.

#include <fstream>

#include <gtest/gtest.h>

#include "core/eval/saved_evaluation.h"
#include "tests/core/eval_cases.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::eval;
using yolo::data::Box;
using yolo::infer::Detection;

namespace {

using yolo::test::objectBox;
using yolo::test::scoredDetection;

// Two images: a found object, a wrong class, a miss, a detection on a difficult object.
SavedEvaluation twoImages() {
  SavedEvaluation e;
  e.epoch = 3;
  e.step = 120;
  e.classNames = {"zero", "one"};
  EvaluationReport& r = e.report;
  r.scoreThreshold = 0.05f;
  r.iouThreshold = 0.45f;
  r.imagePaths = {"a.png", "b.png"};
  r.groundTruth = {
      {objectBox(0, 0, 10, 10, 0), objectBox(20, 20, 30, 30, 1)},
      {objectBox(5, 5, 15, 15, 1), objectBox(40, 40, 50, 50, 0, Box::Kind::difficult)}};
  r.detections = {
      {scoredDetection(0, 0, 10, 10, 0.9f, 0), scoredDetection(20, 20, 30, 30, 0.6f, 0)},
      {scoredDetection(40, 40, 50, 50, 0.7f, 0)}};
  EvaluateOptions options;
  options.operatingScore = r.scoreThreshold;
  options.classNames = e.classNames;
  r.result = evaluate(r.groundTruth, r.detections, 2, options);
  r.result.unreadableImages = {"c.png: not an image"};
  r.images = 2;
  return e;
}

}  // namespace

TEST(SavedEvaluation, ReadsBackTheSameImagesDetectionsAndFigures) {
  yolo::test::ScratchDir dir;
  const SavedEvaluation written = twoImages();
  const fs::path file = savedEvaluationPath(dir.path(), written.epoch);
  EXPECT_EQ(file.filename(), "epoch-0003.json");
  saveEvaluation(file, written);
  const SavedEvaluation read = loadEvaluation(file);
  EXPECT_EQ(read.epoch, 3);
  EXPECT_EQ(read.step, 120);
  EXPECT_EQ(read.classNames, written.classNames);
  EXPECT_EQ(read.report.imagePaths, written.report.imagePaths);
  EXPECT_EQ(read.report.groundTruth, written.report.groundTruth);
  ASSERT_EQ(read.report.detections.size(), 2u);
  EXPECT_EQ(read.report.detections[0][1].score, 0.6f);
  EXPECT_EQ(read.report.detections[0][1].className, "zero");
  EXPECT_DOUBLE_EQ(read.report.result.map50, written.report.result.map50);
  EXPECT_DOUBLE_EQ(read.report.result.map50_95, written.report.result.map50_95);
  EXPECT_EQ(read.report.result.perClass[1].truePositives, 0);
  EXPECT_EQ(read.report.result.perClass[0].ignoredDetections, 1);  // on the difficult one
  EXPECT_EQ(read.report.result.unreadableImages, written.report.result.unreadableImages);
}

TEST(SavedEvaluation, EpochsAreListedInOrder) {
  yolo::test::ScratchDir dir;
  EXPECT_TRUE(savedEvaluationEpochs(dir.path()).empty());
  SavedEvaluation e = twoImages();
  for (int epoch : {12, 2, 7}) saveEvaluation(savedEvaluationPath(dir.path(), epoch), e);
  std::ofstream(dir.path() / "evaluations" / "notes.json") << "{}";
  EXPECT_EQ(savedEvaluationEpochs(dir.path()), (std::vector<int>{2, 7, 12}));
}

TEST(SavedEvaluation, ADamagedFileIsNamedWithWhatIsWrong) {
  yolo::test::ScratchDir dir;
  const fs::path file = dir.path() / "epoch-0001.json";
  saveEvaluation(file, twoImages());
  std::string text;
  {
    std::ifstream in(file);
    std::getline(in, text);
  }
  const std::vector<std::pair<std::string, std::string>> damaged = {
      {text.substr(0, text.size() / 2), "parse"},
      {"{\"format\":2}", "format 2"},
      {R"({"format":1,"epoch":1,"step":1,"score_threshold":0.05,"iou_threshold":0.45,
           "class_names":["a"],"images":[{"path":"x","boxes":[[0,0,1,1,5,0]],"detections":[]}]})",
       "class"},
      {R"({"format":1,"epoch":1,"step":1,"score_threshold":0.05,"iou_threshold":0.45,
           "class_names":["a"],"images":[{"path":"x","boxes":[[0,0,1]],"detections":[]}]})",
       "image 1: a box"},
      {R"({"format":1,"epoch":"one"})", "epoch"},
  };
  for (const auto& [contents, why] : damaged) {
    std::ofstream(file) << contents;
    try {
      loadEvaluation(file);
      ADD_FAILURE() << "read " << contents;
    } catch (const std::runtime_error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find(file.string()), std::string::npos) << message;
      EXPECT_NE(message.find(why), std::string::npos) << message;
    }
  }
}
