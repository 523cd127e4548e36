#include "core/util/letterbox.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <opencv2/imgproc.hpp>

namespace yolo {

LetterboxGeometry LetterboxGeometry::compute(int sourceWidth, int sourceHeight, int inputSize) {
  if (sourceWidth <= 0 || sourceHeight <= 0 || inputSize <= 0) {
    throw std::invalid_argument("letterbox of a " + std::to_string(sourceWidth) + "x" +
                                std::to_string(sourceHeight) + " image into " +
                                std::to_string(inputSize));
  }
  LetterboxGeometry g;
  const int64_t longSide = std::max(sourceWidth, sourceHeight);
  const auto fitted = [&](int side) {
    return std::max(1, static_cast<int>(int64_t{side} * inputSize / longSide));
  };
  g.resizedWidth = fitted(sourceWidth);
  g.resizedHeight = fitted(sourceHeight);
  g.scaleX = static_cast<float>(g.resizedWidth) / static_cast<float>(sourceWidth);
  g.scaleY = static_cast<float>(g.resizedHeight) / static_cast<float>(sourceHeight);
  g.offsetX = (inputSize - g.resizedWidth) / 2;
  g.offsetY = (inputSize - g.resizedHeight) / 2;
  return g;
}

cv::Mat toBgr8(const cv::Mat& image) {
  if (image.empty()) throw std::invalid_argument("empty image");
  cv::Mat eight;
  switch (image.depth()) {
    case CV_8U:
      eight = image;
      break;
    case CV_16U:
      image.convertTo(eight, CV_8U, 1.0 / 257.0);
      break;
    case CV_32F:
    case CV_64F:
      image.convertTo(eight, CV_8U, 255.0);
      break;
    default:
      image.convertTo(eight, CV_8U);
      break;
  }
  cv::Mat bgr;
  switch (eight.channels()) {
    case 1:
      cv::cvtColor(eight, bgr, cv::COLOR_GRAY2BGR);
      break;
    case 3:
      bgr = eight;
      break;
    case 4:
      cv::cvtColor(eight, bgr, cv::COLOR_BGRA2BGR);
      break;
    default:
      throw std::invalid_argument("images with " + std::to_string(eight.channels()) +
                                  " channels are not supported");
  }
  return bgr;
}

cv::Mat letterboxRgb(const cv::Mat& bgr, int inputSize, LetterboxGeometry* geometry) {
  const LetterboxGeometry g = LetterboxGeometry::compute(bgr.cols, bgr.rows, inputSize);
  cv::Mat out(inputSize, inputSize, CV_8UC3, cv::Scalar::all(kLetterboxPad));
  cv::Mat inside = out(cv::Rect(g.offsetX, g.offsetY, g.resizedWidth, g.resizedHeight));
  if (g.resizedWidth == bgr.cols && g.resizedHeight == bgr.rows) {
    cv::cvtColor(bgr, inside, cv::COLOR_BGR2RGB);
  } else {
    cv::Mat resized;
    cv::resize(bgr, resized, inside.size(), 0, 0, cv::INTER_LINEAR);
    cv::cvtColor(resized, inside, cv::COLOR_BGR2RGB);
  }
  if (geometry) *geometry = g;
  return out;
}

LetterboxGeometry letterboxRgbFloatInto(const cv::Mat& bgr, int inputSize, float* dst) {
  if (bgr.type() != CV_8UC3)
    throw std::invalid_argument("letterboxRgbFloatInto expects 8-bit BGR, got type " +
                                std::to_string(bgr.type()));
  const LetterboxGeometry g = LetterboxGeometry::compute(bgr.cols, bgr.rows, inputSize);
  // v / 255.f through a table: the same float as dividing the byte, without a division.
  static const std::array<float, 256> toUnit = [] {
    std::array<float, 256> t{};
    for (int v = 0; v < 256; ++v) t[static_cast<size_t>(v)] = static_cast<float>(v) / 255.f;
    return t;
  }();
  const float pad = toUnit[kLetterboxPad];
  const size_t planeSize = static_cast<size_t>(inputSize) * static_cast<size_t>(inputSize);
  cv::Mat planes[3];
  for (size_t c = 0; c < 3; ++c)
    planes[c] = cv::Mat(inputSize, inputSize, CV_32FC1, dst + c * planeSize);
  // Only the borders get the pad colour; the inside is written once below.
  const auto fill = [&](int x, int y, int w, int h) {
    if (w > 0 && h > 0)
      for (cv::Mat& plane : planes) plane(cv::Rect(x, y, w, h)).setTo(cv::Scalar::all(pad));
  };
  fill(0, 0, inputSize, g.offsetY);
  fill(0, g.offsetY + g.resizedHeight, inputSize, inputSize - g.offsetY - g.resizedHeight);
  fill(0, g.offsetY, g.offsetX, g.resizedHeight);
  fill(g.offsetX + g.resizedWidth, g.offsetY, inputSize - g.offsetX - g.resizedWidth,
       g.resizedHeight);

  cv::Mat resized = bgr;
  if (g.resizedWidth != bgr.cols || g.resizedHeight != bgr.rows)
    cv::resize(bgr, resized, cv::Size(g.resizedWidth, g.resizedHeight), 0, 0, cv::INTER_LINEAR);
  // BGR -> RGB planes and bytes -> 0..1 in the same pass.
  for (int y = 0; y < g.resizedHeight; ++y) {
    const uchar* s = resized.ptr<uchar>(y);
    float* r = planes[0].ptr<float>(g.offsetY + y) + g.offsetX;
    float* gr = planes[1].ptr<float>(g.offsetY + y) + g.offsetX;
    float* b = planes[2].ptr<float>(g.offsetY + y) + g.offsetX;
    for (int x = 0; x < g.resizedWidth; ++x, s += 3) {
      r[x] = toUnit[s[2]];
      gr[x] = toUnit[s[1]];
      b[x] = toUnit[s[0]];
    }
  }
  return g;
}

}  // namespace yolo
