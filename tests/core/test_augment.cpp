// Training-time augmentation: boxes follow the pixels, digits are never cut in half, and the
// robustness transforms change what they promise (size, stroke width, paper and ink).

#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "core/data/appearance.h"
#include "core/data/augment.h"
#include "tests/core/support.h"

using namespace yolo::data;

namespace {

// A white 416x416 BGR page with solid black squares (one per box): the ink of a box is
// exactly its area, so any box that stops matching its pixels shows.
struct Page {
  cv::Mat image;
  std::vector<Box> boxes;
};

Page squaresPage() {
  Page p{cv::Mat(416, 416, CV_8UC3, cv::Scalar::all(255)), {}};
  const int squares[][3] = {{20, 30, 40}, {200, 60, 90}, {90, 250, 28}, {300, 300, 100}};
  for (const auto& s : squares) {
    const Box b{float(s[0]), float(s[1]), float(s[0] + s[2]), float(s[1] + s[2]), 1};
    p.image(cv::Rect(s[0], s[1], s[2], s[2])).setTo(cv::Scalar::all(0));
    p.boxes.push_back(b);
  }
  return p;
}

double inkShare(const cv::Mat& image, const Box& b) {
  cv::Mat grey;
  cv::cvtColor(image, grey, cv::COLOR_BGR2GRAY);
  const cv::Rect r(cv::Point(int(std::lround(b.x1)), int(std::lround(b.y1))),
                   cv::Point(int(std::lround(b.x2)), int(std::lround(b.y2))));
  const cv::Rect inside = r & cv::Rect(0, 0, grey.cols, grey.rows);
  return double(cv::countNonZero(grey(inside) < 128)) / std::max(1, r.area());
}

}  // namespace

class Augment : public yolo::test::SeededTest {};

TEST_F(Augment, ZoomKeepsWholeDigitsWithTheirPixelsAndErasesCutOnes) {
  double largestBefore = 100, largestAfter = 0;
  int zoomed = 0;
  for (std::uint64_t seed = 0; seed < 40; ++seed) {
    Page p = squaresPage();
    std::mt19937_64 rng(seed);
    randomZoom(p.image, p.boxes, rng, 2.5f);
    ASSERT_EQ(p.image.size(), cv::Size(416, 416));
    ASSERT_FALSE(p.boxes.empty()) << "the chosen box is always kept";
    // Linear interpolation blurs a square's edge by a pixel; the rest is ink.
    for (const Box& b : p.boxes) {
      EXPECT_GE(b.x1, 0.f);
      EXPECT_LE(b.x2, 416.f);
      EXPECT_GT(inkShare(p.image, b), 0.9) << "seed " << seed;
    }
    // Ink outside every kept box would be a digit without a label (a cut one not erased).
    cv::Mat grey;
    cv::cvtColor(p.image, grey, cv::COLOR_BGR2GRAY);
    cv::Mat unlabelled = grey < 128;
    for (const Box& b : p.boxes)
      unlabelled(cv::Rect(cv::Point(int(b.x1) - 2, int(b.y1) - 2),
                          cv::Point(int(b.x2) + 2, int(b.y2) + 2)) &
                 cv::Rect(0, 0, 416, 416))
          .setTo(0);
    EXPECT_EQ(cv::countNonZero(unlabelled), 0) << "seed " << seed;
    for (const Box& b : p.boxes) largestAfter = std::max<double>(largestAfter, b.x2 - b.x1);
    zoomed += p.boxes.size() < 4;
  }
  EXPECT_GT(largestAfter, 1.5 * largestBefore) << "zoom makes digits larger than the data's";
  EXPECT_LE(largestAfter, 0.95 * 416 + 1) << "a zoomed box still fits the image";
  EXPECT_GT(zoomed, 0) << "some zooms push digits out of the window";
}

TEST_F(Augment, StrokeWidthThickensAndThinsInProportionToTheBox) {
  // One-pixel-wide strokes of a "digit": a cross in each box.
  cv::Mat page(416, 416, CV_8UC3, cv::Scalar::all(255));
  const std::vector<Box> boxes = {{40, 40, 152, 152, 7}, {250, 250, 264, 264, 1}};
  for (const Box& b : boxes) {
    const int cx = int((b.x1 + b.x2) / 2), cy = int((b.y1 + b.y2) / 2);
    cv::line(page, {int(b.x1) + 2, cy}, {int(b.x2) - 3, cy}, cv::Scalar::all(0), 3);
    cv::line(page, {cx, int(b.y1) + 2}, {cx, int(b.y2) - 3}, cv::Scalar::all(0), 3);
  }
  bool sawThicker = false, sawThinner = false;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    cv::Mat image = page.clone();
    std::mt19937_64 rng(seed);
    randomStrokeWidth(image, boxes, rng);
    const double before = inkShare(page, boxes[0]), after = inkShare(image, boxes[0]);
    sawThicker |= after > 1.5 * before;
    sawThinner |= after < 0.9 * before;
    // The 14 px box (a stroke of 3 px) is never wiped out.
    EXPECT_GT(inkShare(image, boxes[1]), 0.5 * inkShare(page, boxes[1])) << "seed " << seed;
    // Nothing outside the boxes changes.
    cv::Mat outside = image != page;
    for (const Box& b : boxes)
      outside(cv::Rect(cv::Rect2f(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1))).setTo(0);
    cv::Mat any;
    cv::cvtColor(outside, any, cv::COLOR_BGR2GRAY);
    EXPECT_EQ(cv::countNonZero(any), 0);
  }
  EXPECT_TRUE(sawThicker);
  EXPECT_TRUE(sawThinner);
}

TEST_F(Augment, FractionalStrokeWidthOnSmallDigitsIsNotRoundedToWholePixels) {
  // A 14 px "digit": a 2 px ring, dark on white.
  cv::Mat page(14, 14, CV_8UC1, cv::Scalar::all(255));
  cv::circle(page, {7, 7}, 4, cv::Scalar::all(0), 2);
  const cv::Rect all(0, 0, 14, 14);
  auto ink = [&](float radius) {  // total darkness: partly covered edge pixels count in part
    cv::Mat image = page.clone();
    changeStrokeWidth(image, all, radius, /*paper=*/255);
    return cv::sum(cv::Scalar::all(255) - image)[0];
  };
  const double none = ink(0.f), half = ink(0.5f), one = ink(1.f);
  EXPECT_EQ(ink(0.1f), none) << "a radius under 1/8 px does nothing";
  // Half a pixel thickens, by less than a whole pixel does (rounding would make them equal).
  EXPECT_GT(half, none * 1.1);
  EXPECT_LT(half, none + 0.8 * (one - none));
  EXPECT_GT(ink(-0.5f), 0.0) << "thinning by half a pixel keeps the stroke";
  EXPECT_LT(ink(-0.5f), none);
}

TEST_F(Augment, SharpenStrokesGivesCrispEdgesAndKeepsPaperAndInk) {
  // A soft stroke, as an upscaled scan has: a 12 px bar of ink 30 on paper 220, blurred.
  cv::Mat page(100, 200, CV_8UC1, cv::Scalar(220));
  page(cv::Rect(44, 10, 12, 80)).setTo(30);
  cv::GaussianBlur(page, page, cv::Size(0, 0), 4);
  const cv::Rect region(0, 0, 100, 100);  // the right half is outside it
  auto between = [](const cv::Mat& m, int lo, int hi) {
    return cv::countNonZero((m > lo) & (m < hi));
  };
  double darkest = 0, lightest = 0;
  cv::minMaxLoc(page(region), &darkest, &lightest);
  const int lo = int(darkest) + 20, hi = int(lightest) - 20;

  cv::Mat thin = page.clone(), thick = page.clone();
  sharpenStrokes(thin, region, 0.3, 0.1);
  sharpenStrokes(thick, region, 0.7, 0.1);
  for (const cv::Mat* m : {&thin, &thick}) {
    double d = 0, l = 0;
    cv::minMaxLoc((*m)(region), &d, &l);
    EXPECT_EQ(d, darkest);
    EXPECT_EQ(l, lightest);
    EXPECT_LT(between((*m)(region), lo, hi), between(page(region), lo, hi) / 4)
        << "the soft edge becomes a short ramp";
    EXPECT_EQ(
        cv::countNonZero((*m)(cv::Rect(100, 0, 100, 100)) != page(cv::Rect(100, 0, 100, 100))), 0);
  }
  EXPECT_LT(cv::countNonZero(thin < 125), cv::countNonZero(thick < 125))
      << "a lower cut gives thinner dark strokes";
}

TEST_F(Augment, PhotometricChangesLevelsButKeepsInkDarkerThanPaper) {
  Page p = squaresPage();
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    cv::Mat image = p.image.clone();
    std::mt19937_64 rng(seed);
    randomPhotometric(image, rng);
    ASSERT_EQ(image.size(), p.image.size());
    ASSERT_EQ(image.type(), p.image.type());
    const Box& big = p.boxes[3];
    const cv::Rect inner(int(big.x1) + 10, int(big.y1) + 10, 80, 80);
    const double ink = cv::mean(image(inner))[0];
    const double paper = cv::mean(image(cv::Rect(150, 150, 40, 40)))[0];
    EXPECT_GE(paper, 110 - 6);
    EXPECT_LE(ink, 90 + 6);
    EXPECT_GT(paper - ink, 20);
  }
}

TEST_F(Augment, NewTransformsAreOffByDefaultAndLeaveBoxesAlone) {
  Page p = squaresPage();
  const AugmentSwitches none{false, false, false};
  std::mt19937_64 rng(3);
  cv::Mat image = p.image.clone();
  std::vector<Box> boxes = p.boxes;
  augment(image, boxes, none, rng);
  EXPECT_EQ(cv::countNonZero(cv::Mat(image != p.image).reshape(1)), 0);
  ASSERT_EQ(boxes.size(), p.boxes.size());
  const AugmentSwitches defaults;
  EXPECT_FALSE(defaults.randomZoom || defaults.strokeWidth || defaults.photometric);
}

TEST_F(Augment, RobustShareIsTheShareOfImagesTheRobustnessTransformsReach) {
  // Photometric alone: new paper and ink levels change the page unless they draw exactly the
  // old ones (255 and 0: 1 in 13,286), so "changed" counts the images it reached.
  const Page p = squaresPage();
  auto changedImages = [&](float share) {
    AugmentSwitches switches{false, false, false};
    switches.photometric = true;
    switches.robustShare = share;
    std::mt19937_64 rng(11);
    int changed = 0;
    for (int i = 0; i < 40; ++i) {
      cv::Mat image = p.image.clone();
      std::vector<Box> boxes = p.boxes;
      augment(image, boxes, switches, rng);
      changed += cv::countNonZero(cv::Mat(image != p.image).reshape(1)) > 0;
    }
    return changed;
  };
  EXPECT_EQ(changedImages(0.f), 0);
  EXPECT_EQ(changedImages(1.f), 40);
  const int half = changedImages(0.5f);
  EXPECT_GT(half, 0);
  EXPECT_LT(half, 40);
}

TEST(Appearance, LevelsMapBlackToInkAndWhiteToPaper) {
  cv::Mat m(1, 2, CV_8UC1);
  m.at<uchar>(0, 0) = 0;
  m.at<uchar>(0, 1) = 255;
  applyLevels(m, 40, 200);
  EXPECT_EQ(m.at<uchar>(0, 0), 40);
  EXPECT_EQ(m.at<uchar>(0, 1), 200);
  cv::Mat page(64, 64, CV_8UC3, cv::Scalar::all(180));
  page(cv::Rect(0, 0, 8, 8)).setTo(cv::Scalar::all(3));
  EXPECT_EQ(dominantLevel(page), 180);
  cv::Mat noisy = page.clone();
  addNoise(noisy, 10.0, 1);
  cv::Mat again = page.clone();
  addNoise(again, 10.0, 1);
  EXPECT_EQ(cv::countNonZero(cv::Mat(noisy != again).reshape(1)), 0) << "same seed, same noise";
  EXPECT_NEAR(cv::mean(noisy(cv::Rect(16, 16, 48, 48)))[0], 180, 2);
}
