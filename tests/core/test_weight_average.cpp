// The weight average (EMA) the trainer evaluates and ships: the decay rule, the update, and
// how checkpoints carry the average and the live weights apart.

#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/run/run_config.h"
#include "core/train/weight_average.h"
#include "tests/core/support.h"

using namespace yolo::train;
using namespace yolo::run;

namespace {

yolo::model::ModelSpec tinySpec() {
  yolo::model::ModelSpec spec;
  spec.architecture = "yolov3-tiny";
  spec.numClasses = 2;
  spec.inputSize = 64;
  spec.init = "kaiming";
  return spec;
}

// Moves every parameter and buffer of `net` by `delta`.
void shift(yolo::model::YoloNetImpl& net, float delta) {
  torch::NoGradGuard noGrad;
  for (auto& p : net.parameters()) p.add_(delta);
  for (auto& b : net.buffers())
    if (b.is_floating_point()) b.add_(delta);
}

class WeightAverageTest : public yolo::test::SeededTest {};

}  // namespace

TEST_F(WeightAverageTest, DecayFollowsTheLiveWeightsFirstThenCapsAtTheSetting) {
  auto live = yolo::model::createModel(tinySpec());
  WeightAverage average(*live, 0.99);
  EXPECT_DOUBLE_EQ(average.decayAt(0), 0.1);  // (1 + 0) / (10 + 0)
  EXPECT_DOUBLE_EQ(average.decayAt(10), 11.0 / 20.0);
  EXPECT_DOUBLE_EQ(average.decayAt(100000), 0.99);  // capped
}

TEST_F(WeightAverageTest, UpdateMovesTheAverageTowardsTheLiveWeights) {
  auto live = yolo::model::createModel(tinySpec());
  WeightAverage average(*live, 0.9);
  const torch::Tensor start = live->parameters().front().clone();
  EXPECT_TRUE(torch::equal(average.net().parameters().front(), start));

  shift(*live, 1.0f);
  const int64_t updates = 1000;  // decay 0.9
  average.update(*live, updates);
  const double d = average.decayAt(updates);
  ASSERT_DOUBLE_EQ(d, 0.9);
  // average = d * start + (1 - d) * (start + 1) = start + (1 - d)
  EXPECT_TRUE(torch::allclose(average.net().parameters().front(), start + (1 - d), 1e-5, 1e-6));
  // BatchNorm running statistics are averaged too, and the average stays in eval mode.
  const torch::Tensor liveVar = live->buffers().back();
  EXPECT_FALSE(average.net().is_training());

  average.reset(*live);
  EXPECT_TRUE(torch::equal(average.net().parameters().front(), live->parameters().front()));
  EXPECT_TRUE(torch::equal(average.net().buffers().back(), liveVar));
}

TEST_F(WeightAverageTest, CheckpointKeepsAverageForDetectionAndLiveWeightsForResuming) {
  yolo::test::ScratchDir dir;
  RunConfig config;
  config.model = tinySpec();
  auto live = yolo::model::createModel(config.model);
  WeightAverage average(*live, 0.9);
  shift(*live, 0.5f);  // live and average now differ
  const auto file = dir.path() / "last.pt";
  saveCheckpoint(file, CheckpointHeader{1, config, {"a", "b"}, {}}, *live, nullptr, &average.net());

  // What a detector loads: the average.
  auto forDetection = yolo::model::createModel(config.model);
  loadCheckpoint(file, *forDetection, nullptr);
  EXPECT_TRUE(torch::equal(forDetection->parameters().front(), average.net().parameters().front()));

  // What resuming loads: the live weights into the network, the average into its average.
  auto resumed = yolo::model::createModel(config.model);
  WeightAverage resumedAverage(*resumed, 0.9);
  loadCheckpoint(file, *resumed, nullptr, &resumedAverage.net());
  EXPECT_TRUE(torch::equal(resumed->parameters().front(), live->parameters().front()));
  EXPECT_TRUE(
      torch::equal(resumedAverage.net().parameters().front(), average.net().parameters().front()));
}

TEST_F(WeightAverageTest, ConfigKeepsTheDecayAndTheTutorialPresetHasNone) {
  EXPECT_EQ(preset("tutorial").emaDecay, 0.0);
  EXPECT_GT(preset("cpu-fast").emaDecay, 0.0);
  RunConfig c = preset("cpu-fast");
  c.emaDecay = 0.5;
  const RunConfig back = nlohmann::json(c).get<RunConfig>();
  EXPECT_EQ(back.emaDecay, 0.5);
  c.emaDecay = 1.0;
  EXPECT_FALSE(validate(c).empty());
}
