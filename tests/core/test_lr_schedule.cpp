#include <cmath>

#include <gtest/gtest.h>

#include "core/train/lr_schedule.h"

using yolo::train::LrSchedule;

TEST(LrSchedule, WarmUpIsLinearAndStartsAboveZero) {
  const LrSchedule s{/*lrInit=*/1e-3, /*lrEnd=*/1e-6, /*warmupSteps=*/10, /*totalSteps=*/110};
  // The very first step already uses a scheduled rate, not the optimizer's default.
  EXPECT_DOUBLE_EQ(s.at(0), 1e-4);
  EXPECT_DOUBLE_EQ(s.at(4), 5e-4);
  EXPECT_DOUBLE_EQ(s.at(9), 1e-3);  // end of warm-up reaches lrInit
}

TEST(LrSchedule, CosineFromInitToEnd) {
  const LrSchedule s{1e-3, 1e-6, 10, 110};
  EXPECT_DOUBLE_EQ(s.at(10), 1e-3);                          // cos(0)
  EXPECT_NEAR(s.at(60), 1e-6 + 0.5 * (1e-3 - 1e-6), 1e-15);  // middle: cos(pi/2)
  EXPECT_NEAR(s.at(110), 1e-6, 1e-15);                       // end
  EXPECT_NEAR(s.at(500), 1e-6, 1e-15);                       // past the end stays at lrEnd
  const double quarter = 1e-6 + 0.5 * (1e-3 - 1e-6) * (1 + std::cos(M_PI * 0.25));
  EXPECT_NEAR(s.at(35), quarter, 1e-15);
}

TEST(LrSchedule, NoWarmUp) {
  const LrSchedule s{1e-4, 1e-6, 0, 100};
  EXPECT_DOUBLE_EQ(s.at(0), 1e-4);
  EXPECT_LT(s.at(50), 1e-4);
  EXPECT_GT(s.at(50), 1e-6);
}
