#include "core/data/augment.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "core/data/appearance.h"
#include "core/util/letterbox.h"

namespace yolo::data {
namespace {

bool coinFlip(std::mt19937_64& rng) { return std::uniform_int_distribution<int>(0, 1)(rng) == 1; }

bool chance(std::mt19937_64& rng, float probability) {
  return std::bernoulli_distribution(std::clamp(probability, 0.f, 1.f))(rng);
}

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

void randomZoom(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng, float maxZoom) {
  if (boxes.empty() || !(maxZoom > 1.f)) return;
  const Box& target = boxes[std::uniform_int_distribution<std::size_t>(0, boxes.size() - 1)(rng)];
  const float width = static_cast<float>(image.cols), height = static_cast<float>(image.rows);
  const float side = std::max({target.x2 - target.x1, target.y2 - target.y1, 1.f});
  const float largest = std::min(maxZoom, 0.95f * std::min(width, height) / side);
  if (!(largest > 1.f)) return;
  const float zoom = std::exp(uniform(rng, 0.f, std::log(largest)));
  // The window (the image's size, in zoomed pixels) holds the zoomed target whole.
  auto windowStart = [&](float lo, float hi, float extent) {
    const float from = std::max(0.f, hi * zoom - extent);
    const float to = std::min(lo * zoom, extent * zoom - extent);
    return uniform(rng, from, std::max(from, to));
  };
  const float x0 = windowStart(target.x1, target.x2, width);
  const float y0 = windowStart(target.y1, target.y2, height);

  const int paper = dominantLevel(image);
  const cv::Mat toWindow = (cv::Mat_<double>(2, 3) << zoom, 0, -x0, 0, zoom, -y0);
  cv::Mat zoomed;
  cv::warpAffine(image, zoomed, toWindow, image.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar::all(paper));

  // Every pixel a box touches, and one more around it (interpolation smears edges).
  auto pixelsCovering = [](const cv::Rect2f& r) {
    return cv::Rect(
        cv::Point(int(std::floor(r.x)) - 1, int(std::floor(r.y)) - 1),
        cv::Point(int(std::ceil(r.x + r.width)) + 1, int(std::ceil(r.y + r.height)) + 1));
  };
  const cv::Rect2f window(0.f, 0.f, width, height);
  std::vector<Box> kept;
  cv::Mat cut = cv::Mat::zeros(image.size(), CV_8UC1);  // the parts of digits cut by the edge
  for (Box b : boxes) {
    b.x1 = b.x1 * zoom - x0;
    b.x2 = b.x2 * zoom - x0;
    b.y1 = b.y1 * zoom - y0;
    b.y2 = b.y2 * zoom - y0;
    const cv::Rect2f area(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
    const cv::Rect2f visible = area & window;
    if (visible.area() <= 0.f) continue;
    if (visible.area() >= 0.98f * area.area()) {
      b.x1 = std::max(b.x1, 0.f);
      b.y1 = std::max(b.y1, 0.f);
      b.x2 = std::min(b.x2, width);
      b.y2 = std::min(b.y2, height);
      kept.push_back(b);
    } else {
      cv::rectangle(cut, pixelsCovering(visible), cv::Scalar(255), cv::FILLED);
    }
  }
  for (const Box& b : kept) {  // never paint over a kept digit's ink
    cv::rectangle(cut, pixelsCovering(cv::Rect2f(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1)),
                  cv::Scalar(0), cv::FILLED);
  }
  zoomed.setTo(cv::Scalar::all(paper), cut);
  image = zoomed;
  boxes = std::move(kept);
}

void randomStrokeWidth(cv::Mat& image, const std::vector<Box>& boxes, std::mt19937_64& rng) {
  if (boxes.empty()) return;
  const int paper = dominantLevel(image);
  for (const Box& b : boxes) {
    const float perDigitPixel = std::max(b.x2 - b.x1, b.y2 - b.y1) / 28.f;
    const bool thicker = std::uniform_int_distribution<int>(0, 2)(rng) != 0;
    const float radius = thicker ? uniform(rng, 0.f, 1.5f) : -uniform(rng, 0.f, 0.5f);
    const cv::Rect region(cv::Rect2f(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1));
    changeStrokeWidth(image, region, radius * perDigitPixel, paper);
    if (coinFlip(rng))
      sharpenStrokes(image, region, uniform(rng, 0.3f, 0.7f), uniform(rng, 0.05f, 0.25f));
  }
}

void randomPhotometric(cv::Mat& image, std::mt19937_64& rng) {
  const int paper = std::uniform_int_distribution<int>(110, 255)(rng);
  const int ink = std::uniform_int_distribution<int>(0, 90)(rng);
  applyLevels(image, ink, paper);
  if (coinFlip(rng)) blurImage(image, uniform(rng, 0.f, 1.5f));
  if (coinFlip(rng)) addNoise(image, uniform(rng, 0.f, 14.f), rng());
}

void augment(cv::Mat& image, std::vector<Box>& boxes, const AugmentSwitches& switches,
             std::mt19937_64& rng) {
  // Draw every coin even when a transform is off, so switching one transform does not
  // change the random stream of the others.
  const bool flip = coinFlip(rng), crop = coinFlip(rng), translate = coinFlip(rng);
  const float share = switches.robustShare;
  const bool zoom = chance(rng, share), stroke = chance(rng, share);
  const bool photometric = chance(rng, share);
  if (switches.horizontalFlip && flip) horizontalFlip(image, boxes);
  if (switches.randomCrop && crop) randomCrop(image, boxes, rng);
  if (switches.randomTranslate && translate) {
    randomTranslate(image, boxes, rng, cv::Scalar::all(kLetterboxPad));
  }
  if (switches.randomZoom && zoom) randomZoom(image, boxes, rng, switches.zoomMax);
  if (switches.strokeWidth && stroke) randomStrokeWidth(image, boxes, rng);
  if (switches.photometric && photometric) randomPhotometric(image, rng);
}

}  // namespace yolo::data
