// Mixed precision in training: which arithmetic a setting resolves to, and a bfloat16 step
// that computes the loss of the float32 step within bfloat16's rounding, keeps the weights in
// float32 and leaves autocast off behind it.

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "core/model/cpu_autocast.h"
#include "core/model/model_spec.h"
#include "core/model/winograd_conv.h"
#include "core/model/yolo_net.h"
#include "core/run/mixed_precision.h"
#include "core/run/run_config.h"
#include "core/train/fused_adam.h"
#include "core/train/training_step.h"
#include "tests/core/support.h"

namespace yolo::train {
using namespace yolo::run;
namespace {

using MixedPrecisionTest = test::SeededTest;

TEST(MixedPrecisionSetting, ResolvesByDeviceAndCpu) {
  EXPECT_EQ(resolvePrecision("fp32", true), "fp32");
  EXPECT_EQ(resolvePrecision("bf16", true), "bf16");
  EXPECT_EQ(resolvePrecision("auto", true), cpuHasNativeBf16() ? "bf16" : "fp32");
  EXPECT_EQ(resolvePrecision("auto", false), "fp32");
  EXPECT_THROW(resolvePrecision("bf16", false), std::invalid_argument);
  try {
    resolvePrecision("fp16", true);
    FAIL() << "fp16 accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("auto, fp32, bf16"), std::string::npos) << e.what();
  }
  EXPECT_EQ(describePrecision("auto", true).rfind(resolvePrecision("auto", true), 0), 0u);
}

TEST(MixedPrecisionSetting, ConfigValidatesAndRoundTrips) {
  RunConfig c = preset("cpu-fast");
  EXPECT_EQ(c.precision, "auto");
  c.precision = "half";
  bool named = false;
  for (const auto& problem : validate(c))
    named = named || problem.find("'half'") != std::string::npos;
  EXPECT_TRUE(named);
  c.precision = "bf16";
  const RunConfig back = nlohmann::json(c).get<RunConfig>();
  EXPECT_EQ(back.precision, "bf16");
  applySetting(c, "precision=fp32");
  EXPECT_EQ(c.precision, "fp32");
}

// The float32-only Winograd convs step aside under autocast (they would read bfloat16
// products as floats), and the scope restores the state it found.
TEST(CpuBf16Autocast, WinogradStepsAsideAndScopeRestores) {
  const auto input = torch::rand({1, 16, 32, 32});
  const auto weight = torch::rand({16, 16, 3, 3});
  const bool appliesOutside = model::winogradConvApplies(input, weight);
  EXPECT_FALSE(model::cpuAutocastEnabled());
  {
    model::CpuBf16Autocast outer;
    EXPECT_TRUE(model::cpuAutocastEnabled());
    EXPECT_FALSE(model::winogradConvApplies(input, weight));
    EXPECT_EQ(torch::mm(torch::ones({2, 2}), torch::ones({2, 2})).scalar_type(), torch::kBFloat16);
    { model::CpuBf16Autocast inner; }
    EXPECT_TRUE(model::cpuAutocastEnabled());
  }
  EXPECT_FALSE(model::cpuAutocastEnabled());
  EXPECT_EQ(model::winogradConvApplies(input, weight), appliesOutside);
}

// A bfloat16 step against a float32 step from the same weights on the same batch.
TEST_F(MixedPrecisionTest, Bf16StepMatchesFp32WithinRounding) {
  constexpr int kSize = 64;
  RunConfig config = preset("cpu-fast");
  config.model = model::makeModelSpec("yolov3-tiny", 3, kSize);
  auto reference = model::createModel(config.model);
  auto mixed = model::createModel(config.model);
  {
    torch::NoGradGuard noGrad;
    const auto from = reference->parameters();
    const auto to = mixed->parameters();
    for (size_t i = 0; i < from.size(); ++i) to[i].copy_(from[i]);
  }
  reference->train();
  mixed->train();

  data::Batch batch;
  batch.images = torch::rand({2, 3, kSize, kSize});
  batch.boxes = {torch::tensor({{4.f, 6.f, 30.f, 40.f, 1.f}}),
                 torch::tensor({{10.f, 10.f, 60.f, 50.f, 2.f}, {2.f, 30.f, 20.f, 62.f, 0.f}})};
  makeTargetCollate(*reference, config)(batch);

  const auto before = mixed->parameters()[0].detach().clone();
  FusedAdam referenceAdam(reference->parameters(), torch::optim::AdamOptions(1e-3));
  FusedAdam mixedAdam(mixed->parameters(), torch::optim::AdamOptions(1e-3));
  config.precision = "fp32";
  const auto fp32 = trainStep(*reference, referenceAdam, batch, config, torch::kCPU);
  config.precision = "bf16";
  const auto bf16 = trainStep(*mixed, mixedAdam, batch, config, torch::kCPU);
  ASSERT_TRUE(fp32 && bf16);

  // bfloat16 keeps 8 significant bits: rounding an input and a weight costs each product a
  // relative error of at most 2 * 2^-9 = 2^-8, sums are accumulated in float32, and the
  // errors of YOLOv3-tiny's 13 convolutions in a row add up to at most 13 * 2^-8 (to first
  // order; BatchNorm and LeakyReLU do not amplify them). The loss inherits that bound.
  const double tolerance = 13.0 / 256.0;
  EXPECT_NEAR(bf16->total, fp32->total, tolerance * fp32->total);
  EXPECT_NEAR(bf16->conf, fp32->conf, tolerance * fp32->conf);
  EXPECT_NEAR(bf16->prob, fp32->prob, tolerance * fp32->prob);

  for (const auto& p : mixed->parameters()) EXPECT_EQ(p.scalar_type(), torch::kFloat);
  EXPECT_FALSE(torch::equal(before, mixed->parameters()[0]));
  // Autocast ends with the step: a matrix product on this thread is float32 again.
  EXPECT_EQ(torch::mm(torch::ones({2, 2}), torch::ones({2, 2})).scalar_type(), torch::kFloat);
}

}  // namespace
}  // namespace yolo::train
