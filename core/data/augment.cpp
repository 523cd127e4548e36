#include "core/data/augment.h"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/infer/letterbox.h"

namespace yolo::data {
namespace {

bool coinFlip(std::mt19937_64& rng) { return std::uniform_int_distribution<int>(0, 1)(rng) == 1; }

float uniform(std::mt19937_64& rng, float lo, float hi) {
  return hi <= lo ? lo : std::uniform_real_distribution<float>(lo, hi)(rng);
}

// The smallest rectangle holding every box, clipped to the image.
cv::Rect2f boxesHull(const std::vector<Box>& boxes, int width, int height) {
  float x1 = static_cast<float>(width), y1 = static_cast<float>(height), x2 = 0, y2 = 0;
  for (const Box& b : boxes) {
    x1 = std::min(x1, b.x1);
    y1 = std::min(y1, b.y1);
    x2 = std::max(x2, b.x2);
    y2 = std::max(y2, b.y2);
  }
  x1 = std::clamp(x1, 0.f, static_cast<float>(width));
  y1 = std::clamp(y1, 0.f, static_cast<float>(height));
  x2 = std::clamp(x2, x1, static_cast<float>(width));
  y2 = std::clamp(y2, y1, static_cast<float>(height));
  return {x1, y1, x2 - x1, y2 - y1};
}

}  // namespace

void randomCrop(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng) {
  if (boxes.empty()) return;
  const cv::Rect2f hull = boxesHull(boxes, image.cols, image.rows);
  const int left = static_cast<int>(uniform(rng, 0, hull.x));
  const int top = static_cast<int>(uniform(rng, 0, hull.y));
  const int right = static_cast<int>(uniform(rng, 0, image.cols - (hull.x + hull.width)));
  const int bottom = static_cast<int>(uniform(rng, 0, image.rows - (hull.y + hull.height)));
  const cv::Rect keep(left, top, std::max(1, image.cols - left - right),
                      std::max(1, image.rows - top - bottom));
  image = image(keep).clone();
  for (Box& b : boxes) {
    b.x1 -= left;
    b.x2 -= left;
    b.y1 -= top;
    b.y2 -= top;
  }
}

void randomTranslate(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng,
                     const cv::Scalar& fill) {
  if (boxes.empty()) return;
  const cv::Rect2f hull = boxesHull(boxes, image.cols, image.rows);
  // Range so that the hull stays inside: left by up to hull.x, right by up to the margin.
  const float tx = uniform(rng, -(hull.x - 1), image.cols - (hull.x + hull.width) - 1);
  const float ty = uniform(rng, -(hull.y - 1), image.rows - (hull.y + hull.height) - 1);
  const int dx = static_cast<int>(tx), dy = static_cast<int>(ty);
  const cv::Mat shift = (cv::Mat_<double>(2, 3) << 1, 0, dx, 0, 1, dy);
  cv::Mat moved;
  cv::warpAffine(image, moved, shift, image.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, fill);
  image = moved;
  for (Box& b : boxes) {
    b.x1 += dx;
    b.x2 += dx;
    b.y1 += dy;
    b.y2 += dy;
  }
}

void horizontalFlip(cv::Mat& image, std::vector<Box>& boxes) {
  cv::flip(image, image, 1);
  const float w = static_cast<float>(image.cols);
  for (Box& b : boxes) {
    const float x1 = w - b.x2;
    b.x2 = w - b.x1;
    b.x1 = x1;
  }
}

void augment(cv::Mat& image, std::vector<Box>& boxes, const AugmentSwitches& switches,
             std::mt19937_64& rng) {
  // Draw every coin even when a transform is off, so switching one transform does not
  // change the random stream of the others.
  const bool flip = coinFlip(rng), crop = coinFlip(rng), translate = coinFlip(rng);
  if (switches.horizontalFlip && flip) horizontalFlip(image, boxes);
  if (switches.randomCrop && crop) randomCrop(image, boxes, rng);
  if (switches.randomTranslate && translate) {
    randomTranslate(image, boxes, rng, cv::Scalar::all(infer::kLetterboxPad));
  }
}

}  // namespace yolo::data
