// Anchors fitted to a dataset's boxes: the k-means with 1 - IoU finds clusters made on
// purpose, a generator's few fixed sizes come back exactly, box shapes are those the
// letterbox gives the network, and the anchors= text reads back.

#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include <opencv2/imgcodecs.hpp>

#include "core/data/anchor_fit.h"
#include "tests/core/support.h"

using namespace yolo::data;
namespace fs = std::filesystem;

TEST(AnchorFit, CentredIouComparesShapesOnOneCentre) {
  EXPECT_DOUBLE_EQ(centredIou({10, 10}, {10, 10}), 1.0);
  EXPECT_DOUBLE_EQ(centredIou({10, 10}, {5, 10}), 0.5);
  // 10x20 and 20x10: 100 shared of 300.
  EXPECT_DOUBLE_EQ(centredIou({10, 20}, {20, 10}), 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(meanBestIou({{10, 10}, {5, 10}}, {{10, 10}}), 0.75);
  EXPECT_EQ(meanBestIou({}, {{10, 10}}), 0.0);
}

TEST(AnchorFit, FindsTheClustersTheBoxesWereDrawnFrom) {
  // Three shapes (small square, tall bar, large square), each with +-10 % jitter.
  const std::vector<BoxShape> centres{{20, 20}, {30, 90}, {150, 150}};
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<float> jitter(0.9f, 1.1f);
  std::vector<BoxShape> shapes;
  for (int i = 0; i < 300; ++i) {
    const BoxShape& c = centres[static_cast<std::size_t>(i % 3)];
    shapes.push_back({c[0] * jitter(rng), c[1] * jitter(rng)});
  }
  AnchorFitOptions options;
  options.count = 3;
  const AnchorFit fit = fitAnchors(shapes, options);
  ASSERT_EQ(fit.anchors.size(), 3u);
  // By ascending area, each within the jitter of its centre.
  for (std::size_t i = 0; i < 3; ++i)
    for (int d = 0; d < 2; ++d)
      EXPECT_NEAR(fit.anchors[i][d], centres[i][d], 0.1 * centres[i][d]) << i << " " << d;
  // Within a cluster the worst IoU is (0.9 / 1.1)^2 = 0.67, so the mean best is above it,
  // and above what anchors far from two of the clusters give.
  EXPECT_GT(fit.meanBestIou, 0.67);
  EXPECT_DOUBLE_EQ(fit.meanBestIou, meanBestIou(shapes, fit.anchors));
  EXPECT_GT(fit.meanBestIou, meanBestIou(shapes, {{20, 20}, {22, 22}, {25, 25}}));
  // The same seed gives the same anchors.
  EXPECT_EQ(fitAnchors(shapes, options).anchors, fit.anchors);
}

TEST(AnchorFit, FewFixedSizesComeBackExactlyWithShapesBetweenThem) {
  // A generator's sizes: 7 squares for 9 anchors.
  std::vector<BoxShape> shapes;
  for (float side : {14.f, 28.f, 56.f, 84.f, 112.f, 42.f, 22.f})
    for (int n = 0; n < 5; ++n) shapes.push_back({side, side});
  const AnchorFit fit = fitAnchors(shapes);
  ASSERT_EQ(fit.anchors.size(), 9u);
  EXPECT_DOUBLE_EQ(fit.meanBestIou, 1.0);
  for (std::size_t i = 1; i < fit.anchors.size(); ++i)
    EXPECT_LT(fit.anchors[i - 1][0] * fit.anchors[i - 1][1], fit.anchors[i][0] * fit.anchors[i][1]);
  // 14 and 22 are furthest apart (ratio 2.47 in area): 18 goes between; then 22..28 or
  // 56..84 (2.25 each): the first of them, 25.
  EXPECT_EQ(fit.anchors[1], (BoxShape{18, 18}));
  EXPECT_THROW(fitAnchors({}), std::invalid_argument);
}

TEST(AnchorFit, AnchorsGroupByScaleAndReadBackFromTheirText) {
  const auto grouped =
      groupByScale({{116, 90}, {10, 13}, {30, 61}, {16, 30}, {33, 23}, {62, 45}}, 2);
  ASSERT_EQ(grouped.size(), 2u);
  EXPECT_EQ(grouped[0], (yolo::model::ScaleAnchors{{10, 13}, {16, 30}, {33, 23}}));
  EXPECT_EQ(grouped[1], (yolo::model::ScaleAnchors{{30, 61}, {62, 45}, {116, 90}}));
  const std::string text = formatAnchors(grouped);
  EXPECT_EQ(text, "10,13,  16,30,  33,23,  30,61,  62,45,  116,90");
  EXPECT_EQ(parseAnchors(text, 2), grouped);
  EXPECT_EQ(parseAnchors("10 13 16 30 33 23 30 61 62 45 116 90", 2), grouped);
  EXPECT_THROW(parseAnchors(text, 3), std::invalid_argument);  // 6 pairs, not 9
  EXPECT_THROW(parseAnchors("10,13,x,30", 2), std::invalid_argument);
  EXPECT_THROW(parseAnchors("10,-13,  16,30,  33,23,  30,61,  62,45,  116,90", 2),
               std::invalid_argument);
  EXPECT_THROW(groupByScale({{1, 1}}, 2), std::invalid_argument);
}

TEST(AnchorFit, ShapesAreTheLetterboxedBoxesWithoutCrowdRegions) {
  yolo::test::ScratchDir dir;
  const fs::path wide = dir.path() / "wide.png";
  ASSERT_TRUE(cv::imwrite(wide.string(), cv::Mat(100, 200, CV_8UC3, cv::Scalar::all(255))));
  Box crowd{0, 0, 100, 100, 0};
  crowd.kind = Box::Kind::crowd;
  const std::vector<Sample> samples{
      {wide, {{10, 10, 60, 35, 0}, crowd}},
      {dir.path() / "gone.png", {{0, 0, 5, 5, 0}}},
  };
  int unreadable = 0;
  const auto shapes = letterboxedBoxShapes(samples, 416, &unreadable);
  EXPECT_EQ(unreadable, 1);
  ASSERT_EQ(shapes.size(), 1u);
  // 200 px across fill 416: x2.08 both ways.
  EXPECT_FLOAT_EQ(shapes[0][0], 50 * 2.08f);
  EXPECT_FLOAT_EQ(shapes[0][1], 25 * 2.08f);
}
