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

void changeStrokeWidth(cv::Mat& image, const cv::Rect& region, int radius, int paper) {
  const cv::Rect inside = region & cv::Rect(0, 0, image.cols, image.rows);
  if (radius == 0 || inside.empty()) return;
  const int r = std::abs(radius);
  const cv::Mat kernel =
      cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1));
  const bool darkInk = paper >= 128;
  const bool takeMinimum = (radius > 0) == darkInk;  // thicker dark ink = minimum filter
  cv::Mat roi = image(inside);
  if (takeMinimum) {
    cv::erode(roi, roi, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  } else {
    cv::dilate(roi, roi, kernel, cv::Point(-1, -1), 1, cv::BORDER_REPLICATE);
  }
}

}  // namespace yolo::data
