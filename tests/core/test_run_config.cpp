#include <filesystem>
#include <fstream>

#include "core/run/run_config.h"
#include "core/util/atomic_file.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::run;

TEST(RunConfig, PresetsMatchTheirDocumentedSettings) {
  const RunConfig tutorial = preset("tutorial");
  EXPECT_EQ(tutorial.model.architecture, "yolov3");
  EXPECT_EQ(tutorial.model.inputSize, 416);
  EXPECT_EQ(tutorial.batchSize, 4);
  EXPECT_EQ(tutorial.epochs, 100);
  EXPECT_DOUBLE_EQ(tutorial.lrInit, 1e-4);
  EXPECT_DOUBLE_EQ(tutorial.lrEnd, 1e-6);
  EXPECT_DOUBLE_EQ(tutorial.warmupEpochs, 2);
  EXPECT_EQ(tutorial.model.anchors.size(), 3u);
  const RunConfig fast = preset("cpu-fast");
  EXPECT_EQ(fast.model.architecture, "yolov3-tiny-3l");
  EXPECT_THROW(preset("nope"), std::invalid_argument);
}

TEST(RunConfig, SettingsByKeyChangeNestedValuesAndRefuseUnknownOnes) {
  RunConfig c = preset("cpu-fast");
  applySetting(c, "lr_init=2e-3");
  applySetting(c, "augment.randomZoom=true");
  applySetting(c, "checkpoints.everySteps=20");
  applySetting(c, "model.outputPrior=0.02");
  applySetting(c, "device=cpu");  // a bare word is a string
  EXPECT_DOUBLE_EQ(c.lrInit, 2e-3);
  EXPECT_TRUE(c.augment.randomZoom);
  EXPECT_EQ(c.checkpoints.everySteps, 20);
  EXPECT_FLOAT_EQ(c.model.outputPrior, 0.02f);
  EXPECT_EQ(c.device, "cpu");
  auto message = [&](const std::string& setting) {
    try {
      applySetting(c, setting);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("augment.randomZom=true").find("randomZom"), std::string::npos);
  EXPECT_NE(message("lr_init=fast").find("lr_init"), std::string::npos);
  EXPECT_NE(message("epochs").find("key=value"), std::string::npos);
  EXPECT_NE(message("augment=1").find("augment"), std::string::npos);
  EXPECT_DOUBLE_EQ(c.lrInit, 2e-3) << "a refused setting changes nothing";
}

TEST(RunConfig, JsonRoundTripAndOldFilesLoadWithDefaults) {
  yolo::test::ScratchDir dir;
  RunConfig c = preset("cpu-fast");
  c.batchSize = 3;
  c.augment.horizontalFlip = true;
  c.checkpoints.bestBy = "map50";
  saveRunConfig(c, dir.path() / "config.json");
  const RunConfig back = loadRunConfig(dir.path() / "config.json");
  EXPECT_EQ(back.batchSize, 3);
  EXPECT_TRUE(back.augment.horizontalFlip);
  EXPECT_EQ(back.checkpoints.bestBy, "map50");
  EXPECT_EQ(back.model.architecture, "yolov3-tiny-3l");

  yolo::writeTextAtomically(dir.path() / "old.json", R"({"batch_size": 7})");
  const RunConfig old = loadRunConfig(dir.path() / "old.json");
  EXPECT_EQ(old.batchSize, 7);
  EXPECT_EQ(old.epochs, RunConfig{}.epochs);
}

TEST(RunConfig, BrokenJsonNamesTheFile) {
  yolo::test::ScratchDir dir;
  yolo::writeTextAtomically(dir.path() / "bad.json", "{ not json");
  try {
    loadRunConfig(dir.path() / "bad.json");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.json"), std::string::npos);
  }
}

TEST(RunConfig, ValidateListsEveryProblem) {
  RunConfig c = preset("cpu-fast");
  c.trainAnnotations = "/no/such/train.txt";
  c.classesFile = "";
  c.batchSize = 0;
  c.model.inputSize = 100;
  c.checkpoints.bestBy = "map50";
  c.evalEveryEpochs = 0;
  const auto problems = validate(c);
  auto mentions = [&](const std::string& word) {
    for (const auto& p : problems)
      if (p.find(word) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(mentions("/no/such/train.txt"));
  EXPECT_TRUE(mentions("classes file"));
  EXPECT_TRUE(mentions("batch size"));
  EXPECT_TRUE(mentions("inputSize"));
  EXPECT_TRUE(mentions("map50"));
}

TEST(RunConfig, UseDataFolderNeedsTrainTxt) {
  yolo::test::ScratchDir dir;
  RunConfig c;
  EXPECT_THROW(useDataFolder(c, dir.path()), std::runtime_error);
  std::ofstream(dir.path() / "train.txt") << "";
  std::ofstream(dir.path() / "mnist.names") << "0\n1\n";
  useDataFolder(c, dir.path());
  EXPECT_EQ(fs::path(c.trainAnnotations).filename(), "train.txt");
  EXPECT_TRUE(c.testAnnotations.empty());
}

TEST(RunConfig, MapEvaluationIsEveryEpochForSmallTestSetsByDefault) {
  RunConfig c;
  ASSERT_EQ(c.evalEveryEpochs, kEvalEveryEpochsAuto);
  EXPECT_EQ(mapEvaluationInterval(c, 4000, 200), 1);   // the make-data default
  EXPECT_EQ(mapEvaluationInterval(c, 4000, 1000), 1);  // a quarter
  EXPECT_EQ(mapEvaluationInterval(c, 4000, 1001), 2);
  EXPECT_EQ(mapEvaluationInterval(c, 1000, 1000), 4);  // the test set is the training set
  EXPECT_EQ(mapEvaluationInterval(c, 3, 5), 5);        // tiny sets: a quarter rounds to 1
  c.evalEveryEpochs = 3;
  EXPECT_EQ(mapEvaluationInterval(c, 1000, 1000), 3);  // an explicit choice is kept
  c.evalEveryEpochs = 0;
  EXPECT_EQ(mapEvaluationInterval(c, 4000, 200), 0);
  c.evalEveryEpochs = -2;
  EXPECT_FALSE(validate(c).empty());
}
