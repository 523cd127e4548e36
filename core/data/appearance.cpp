#include "core/data/appearance.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace yolo::data {

void applyLevels(cv::Mat& image, int ink, int paper) {
  const double gain = (paper - ink) / 255.0;
  image.convertTo(image, image.type(), gain, ink);
}

void blurImage(cv::Mat& image, double sigma) {
  if (sigma < 0.3) return;
  cv::GaussianBlur(image, image, cv::Size(0, 0), sigma, sigma, cv::BORDER_REFLECT);
}

void addNoise(cv::Mat& image, double sigma, std::uint64_t seed) {
  if (sigma <= 0.0) return;
  cv::Mat noise(image.rows, image.cols, CV_16SC1);
  cv::RNG rng(seed);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
  if (image.channels() > 1) cv::merge(std::vector<cv::Mat>(image.channels(), noise), noise);
  cv::Mat wide;
  image.convertTo(wide, CV_16S);
  wide += noise;
  wide.convertTo(image, image.type());  // saturates to 0..255
}

int dominantLevel(const cv::Mat& image) {
  int counts[256] = {};
  const int channels = image.channels();
  for (int y = 0; y < image.rows; ++y) {
    const uchar* row = image.ptr<uchar>(y);
    for (int x = 0; x < image.cols; ++x) ++counts[row[x * channels]];
  }
  return static_cast<int>(std::max_element(counts, counts + 256) - counts);
}

void changeStrokeWidth(cv::Mat& image, const cv::Rect& region, float radius, int paper) {
  const cv::Rect inside = region & cv::Rect(0, 0, image.cols, image.rows);
  if (inside.empty()) return;
  const bool whole = std::abs(radius - std::round(radius)) < 1e-3f;
  const int side = std::max(inside.width, inside.height);
  const int upscale = whole ? 1 : std::clamp(128 / side, 1, 4);
  const int r = static_cast<int>(std::lround(std::abs(radius) * upscale));
  if (r == 0) return;
  const cv::Mat kernel =
      cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1));
  const bool darkInk = paper >= 128;
  const bool takeMinimum = (radius > 0) == darkInk;  // thicker dark ink = minimum filter
  cv::Mat roi = image(inside);
  cv::Mat work = roi;
  if (upscale > 1) cv::resize(roi, work, cv::Size(), upscale, upscale, cv::INTER_LINEAR);
  if (takeMinimum) {
    cv::erode(work, work, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  } else {
    cv::dilate(work, work, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  }
  if (upscale > 1) {
    cv::Mat back;
    cv::resize(work, back, roi.size(), 0, 0, cv::INTER_AREA);
    back.copyTo(roi);
  }
}

void sharpenStrokes(cv::Mat& image, const cv::Rect& region, double cut, double ramp) {
  const cv::Rect inside = region & cv::Rect(0, 0, image.cols, image.rows);
  if (inside.empty() || !(ramp > 0.0)) return;
  cv::Mat roi = image(inside);
  double darkest = 0, lightest = 0;
  cv::minMaxLoc(roi.reshape(1), &darkest, &lightest);
  const double range = lightest - darkest;
  if (range < 1.0) return;
  // v -> darkest + range * ((v - darkest) / range - cut) / ramp + range / 2, then clamped to
  // [darkest, lightest]: linear, so convertTo (which saturates to 0..255) does it, and a
  // clamp back into the range keeps paper and ink where they were.
  const double gain = 1.0 / ramp;
  const double offset = darkest + range / 2 - gain * (darkest + cut * range);
  roi.convertTo(roi, roi.type(), gain, offset);
  cv::max(roi, cv::Scalar::all(darkest), roi);
  cv::min(roi, cv::Scalar::all(lightest), roi);
}

}  // namespace yolo::data
