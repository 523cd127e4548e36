// metrics.jsonl's schema: what the trainer writes is what a reader gets back.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/train/metrics_records.h"

using namespace yolo::train;

namespace {

LossValues someLoss(double base, int scales) {
  LossValues v{base, base + 0.25, base + 0.5, base + 0.75, {}, {}, {}};
  for (int s = 0; s < scales; ++s) {
    v.giouPerScale.push_back(base + s);
    v.confPerScale.push_back(base + 10 + s);
    v.probPerScale.push_back(base + 20 + s);
  }
  return v;
}

void expectSameLoss(const LossValues& a, const LossValues& b) {
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(a.giou, b.giou);
  EXPECT_EQ(a.conf, b.conf);
  EXPECT_EQ(a.prob, b.prob);
  EXPECT_EQ(a.giouPerScale, b.giouPerScale);
  EXPECT_EQ(a.confPerScale, b.confPerScale);
  EXPECT_EQ(a.probPerScale, b.probPerScale);
}

// Through the text a file holds, as a reader sees it.
MetricsRecord throughALine(const nlohmann::json& written) {
  return parseMetricsRecord(written.dump() + "\n");
}

}  // namespace

TEST(MetricsRecords, AStepReadsBackWithEveryField) {
  StepMetrics m;
  m.step = 1234;
  m.totalSteps = 2000;
  m.epoch = 3;
  m.totalEpochs = 4;
  m.stepInEpoch = 234;
  m.stepsPerEpoch = 500;
  m.lr = 3.0517578125e-4;  // exact in binary, as every value here: the text must keep them
  m.loss = someLoss(7.5, 3);
  m.imagesPerSecond = 15.625;
  m.dataWait = 0.03125;
  m.etaSeconds = 468.5;

  const MetricsRecord backRecord = throughALine(toJson(m));
  const auto* back = std::get_if<StepMetrics>(&backRecord);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->step, m.step);
  EXPECT_EQ(back->totalSteps, m.totalSteps);
  EXPECT_EQ(back->epoch, m.epoch);
  EXPECT_EQ(back->totalEpochs, m.totalEpochs);
  EXPECT_EQ(back->stepInEpoch, m.stepInEpoch);
  EXPECT_EQ(back->stepsPerEpoch, m.stepsPerEpoch);
  EXPECT_EQ(back->lr, m.lr);
  expectSameLoss(back->loss, m.loss);
  EXPECT_EQ(back->imagesPerSecond, m.imagesPerSecond);
  EXPECT_EQ(back->dataWait, m.dataWait);
  EXPECT_EQ(back->etaSeconds, m.etaSeconds);
}

TEST(MetricsRecords, AnEpochReadsBackWithAndWithoutValidationAndMap) {
  EpochMetrics full;
  full.epoch = 2;
  full.step = 1000;
  full.validation = someLoss(4.25, 2);
  full.map50 = 0.9375;
  full.seconds = 612.5;
  const MetricsRecord backRecord = throughALine(toJson(full));
  const auto* back = std::get_if<EpochMetrics>(&backRecord);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->epoch, full.epoch);
  EXPECT_EQ(back->step, full.step);
  EXPECT_EQ(back->seconds, full.seconds);
  ASSERT_TRUE(back->validation);
  expectSameLoss(*back->validation, *full.validation);
  ASSERT_TRUE(back->map50);
  EXPECT_EQ(*back->map50, *full.map50);

  EpochMetrics bare;  // no test set: neither validation loss nor mAP
  bare.epoch = 1;
  bare.step = 500;
  const MetricsRecord bareBackRecord = throughALine(toJson(bare));
  const auto* bareBack = std::get_if<EpochMetrics>(&bareBackRecord);
  ASSERT_TRUE(bareBack);
  EXPECT_FALSE(bareBack->validation);
  EXPECT_FALSE(bareBack->map50);
}

TEST(MetricsRecords, AnEventReadsBackWithItsStep) {
  const TrainingEvent e{"map_failed", "mAP evaluation after epoch 2 failed: \"x.png\"\n"};
  const MetricsRecord backRecord = throughALine(toJson(e, 77));
  const auto* back = std::get_if<LoggedEvent>(&backRecord);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->event.event, e.event);
  EXPECT_EQ(back->event.message, e.message);
  EXPECT_EQ(back->step, 77);
}

TEST(MetricsRecords, NonFiniteValuesAreWrittenAsNullAndReadAsMissing) {
  StepMetrics m;
  m.step = 5;
  m.loss.total = std::nan("");
  m.etaSeconds = std::numeric_limits<double>::infinity();
  const std::string line = toJson(m).dump();
  const MetricsRecord backRecord = parseMetricsRecord(line);
  const auto* back = std::get_if<StepMetrics>(&backRecord);
  ASSERT_TRUE(back) << line;
  EXPECT_TRUE(std::isnan(back->loss.total));
  EXPECT_TRUE(std::isnan(back->etaSeconds));
  EXPECT_EQ(back->step, 5);
}

TEST(MetricsRecords, OlderShorterAndBrokenLinesNeverFail) {
  // An older writer: no total_epochs, step_in_epoch or eta_s; map50 written as null.
  const auto old = parseMetricsRecord(R"({"type":"step","step":7,"epoch":2,"lr":0.001})");
  const auto* step = std::get_if<StepMetrics>(&old);
  ASSERT_TRUE(step);
  EXPECT_EQ(step->step, 7);
  EXPECT_EQ(step->totalEpochs, 0);
  EXPECT_TRUE(std::isnan(step->etaSeconds));
  EXPECT_TRUE(step->loss.giouPerScale.empty());
  const auto noMap = parseMetricsRecord(R"({"type":"epoch","epoch":1,"step":50,"map50":null})");
  ASSERT_TRUE(std::holds_alternative<EpochMetrics>(noMap));
  EXPECT_FALSE(std::get<EpochMetrics>(noMap).map50);

  EXPECT_TRUE(std::holds_alternative<std::monostate>(parseMetricsRecord(R"({"type":"step","st)")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parseMetricsRecord("")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parseMetricsRecord("[1,2]")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(parseMetricsRecord(R"({"type":"future"})")));
}
