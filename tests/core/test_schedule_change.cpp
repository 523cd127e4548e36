// A change to a run's plan: what it may change, how it reads, and the request file another
// process leaves for a training run.

#include <fstream>

#include <gtest/gtest.h>

#include "core/run/schedule_change.h"
#include "core/train/lr_schedule.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::run;

namespace {

RunConfig tenEpochs() {
  RunConfig c;
  c.epochs = 10;
  c.warmupEpochs = 2;
  c.lrInit = 1e-3;
  c.lrEnd = 1e-5;
  return c;
}

bool mentions(const std::vector<std::string>& problems, const std::string& word) {
  for (const auto& p : problems)
    if (p.find(word) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(ScheduleChange, AppliesOnlyTheSettingsItGives) {
  ScheduleChange change;
  change.epochs = 14;
  const RunConfig after = withScheduleChange(tenEpochs(), change);
  EXPECT_EQ(after.epochs, 14);
  EXPECT_DOUBLE_EQ(after.lrInit, 1e-3);
  EXPECT_DOUBLE_EQ(after.lrEnd, 1e-5);
  EXPECT_EQ(describeScheduleChange(tenEpochs(), after), "epochs 10 -> 14");
  EXPECT_EQ(describeScheduleChange(tenEpochs(), tenEpochs()), "");
}

TEST(ScheduleChange, AChangedConfigGivesTheWholeNewPlan) {
  // 100 steps an epoch. The schedule is a function of the config and the step, so the
  // changed config gives the whole new plan: warm-up and decay stretched to 20 epochs.
  ScheduleChange change;
  change.epochs = 20;
  change.lrInit = 5e-4;
  const RunConfig after = withScheduleChange(tenEpochs(), change);
  const yolo::train::LrSchedule s = yolo::train::scheduleFor(after, 100);
  EXPECT_EQ(s.totalSteps, 2000);
  EXPECT_EQ(s.warmupSteps, 200);
  EXPECT_DOUBLE_EQ(s.at(199), 5e-4);
  EXPECT_NEAR(s.at(2000), 1e-5, 1e-18);
}

TEST(ScheduleChange, RefusesAPlanThatEndsBeforeTheStepsDoneOrBadRates) {
  ScheduleChange fewer;
  fewer.epochs = 4;
  // 450 steps done of 100 an epoch: 4 epochs (400 steps) leave nothing to train.
  const auto ended = checkScheduleChange(tenEpochs(), fewer, 450, 100);
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_NE(ended[0].find("450 steps"), std::string::npos) << ended[0];
  EXPECT_TRUE(checkScheduleChange(tenEpochs(), fewer, 350, 100).empty());
  // Steps an epoch unknown: only the settings themselves are checked.
  EXPECT_TRUE(checkScheduleChange(tenEpochs(), fewer, 450, 0).empty());

  ScheduleChange inWarmUp;
  inWarmUp.epochs = 2;
  EXPECT_TRUE(mentions(checkScheduleChange(tenEpochs(), inWarmUp, 0, 100), "warm-up"));

  ScheduleChange rates;
  rates.lrInit = 1e-6;  // below lr_end 1e-5
  EXPECT_TRUE(mentions(checkScheduleChange(tenEpochs(), rates, 0, 100), "lr_end"));
  rates.lrInit = std::nan("");
  EXPECT_TRUE(mentions(checkScheduleChange(tenEpochs(), rates, 0, 100), "lr_init"));
}

TEST(ScheduleChange, ARequestIsMergedOverOneStillWaitingAndTakenOnce) {
  yolo::test::ScratchDir dir;
  EXPECT_FALSE(takeScheduleRequest(dir.path()));
  ScheduleChange epochs;
  epochs.epochs = 12;
  writeScheduleRequest(dir.path(), epochs);
  ScheduleChange rate;
  rate.lrInit = 2e-3;
  writeScheduleRequest(dir.path(), rate);
  const auto taken = takeScheduleRequest(dir.path());
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->epochs, 12);
  EXPECT_EQ(taken->lrInit, 2e-3);
  EXPECT_FALSE(taken->lrEnd);
  EXPECT_FALSE(fs::exists(scheduleRequestPath(dir.path())));
  EXPECT_FALSE(takeScheduleRequest(dir.path()));
  // Nothing but the run's own files is left behind.
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(ScheduleChange, AMalformedRequestNamesTheFileAndIsNotRetried) {
  yolo::test::ScratchDir dir;
  for (const std::string text : {"{\"epochs\": \"many\"}", "{\"lr_init\": 1e-3, \"batch\": 4}",
                                 "{\"epochs\": 99999999999}", "not json", "[1,2]"}) {
    std::ofstream(scheduleRequestPath(dir.path())) << text;
    try {
      takeScheduleRequest(dir.path());
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("adjust.json"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(takeScheduleRequest(dir.path())) << text;
  }
}
