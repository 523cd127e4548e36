// Durations as the CLI's progress line and the Train view write them.

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "core/util/format_duration.h"

TEST(FormatDuration, WritesSecondsMinutesAndHoursAsTheyGrow) {
  EXPECT_EQ(yolo::formatDuration(0), "0s");
  EXPECT_EQ(yolo::formatDuration(42.4), "42s");
  EXPECT_EQ(yolo::formatDuration(59.6), "1m00s");  // rounded to whole seconds first
  EXPECT_EQ(yolo::formatDuration(185), "3m05s");
  EXPECT_EQ(yolo::formatDuration(3600), "1h00m");
  EXPECT_EQ(yolo::formatDuration(3725), "1h02m");
}

TEST(FormatDuration, UnknownDurationsAreAQuestionMark) {
  EXPECT_EQ(yolo::formatDuration(-1), "?");
  EXPECT_EQ(yolo::formatDuration(std::numeric_limits<double>::quiet_NaN()), "?");
  EXPECT_EQ(yolo::formatDuration(std::numeric_limits<double>::infinity()), "?");
}
