#include "core/infer/draw.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include <opencv2/imgproc.hpp>

namespace yolo::infer {

cv::Scalar classColor(int classId) {
  // Tableau 20 (BGR): distinct hues, all dark or bright enough for white or black text.
  static const cv::Scalar kPalette[] = {
      {180, 119, 31},  {14, 127, 255},  {44, 160, 44},   {40, 39, 214},   {189, 103, 148},
      {75, 86, 140},   {194, 119, 227}, {127, 127, 127}, {34, 189, 188},  {207, 190, 23},
      {232, 199, 174}, {120, 187, 255}, {138, 223, 152}, {150, 152, 255}, {213, 176, 197},
      {148, 156, 196}, {210, 182, 247}, {199, 199, 199}, {141, 219, 219}, {229, 218, 158}};
  constexpr int kSize = static_cast<int>(sizeof kPalette / sizeof kPalette[0]);
  return kPalette[((classId % kSize) + kSize) % kSize];
}

void drawDetections(cv::Mat& image, const std::vector<Detection>& detections,
                    const DrawOptions& options) {
  if (image.empty()) return;
  if (image.type() != CV_8UC3)
    throw std::invalid_argument("drawDetections needs an 8-bit BGR image (use toBgr8)");

  // The tutorial's bbox_thick = 0.6 * (h + w) / 1000, with a floor so 100-pixel images stay
  // readable; the label font follows the line width.
  const double side = 0.5 * (image.rows + image.cols);
  const int thickness =
      options.thickness > 0 ? options.thickness : std::max(1, static_cast<int>(side / 300.0 + 0.5));
  const double fontScale = options.fontScale > 0 ? options.fontScale : std::max(0.35, side / 900.0);
  const int fontThickness = std::max(1, thickness / 2);
  const int font = cv::FONT_HERSHEY_SIMPLEX;

  for (const Detection& d : detections) {
    const cv::Scalar color = classColor(d.classId);
    const cv::Point p1(static_cast<int>(std::lround(d.x1)), static_cast<int>(std::lround(d.y1)));
    // x2, y2 are exclusive edges; the last pixel inside is one before.
    const cv::Point p2(static_cast<int>(std::lround(d.x2)) - 1,
                       static_cast<int>(std::lround(d.y2)) - 1);
    cv::rectangle(image, p1, p2, color, thickness, cv::LINE_AA);
    if (!options.showLabel) continue;

    std::string label = d.className.empty() ? std::to_string(d.classId) : d.className;
    if (options.showScore) {
      char score[16];
      std::snprintf(score, sizeof score, " %.2f", d.score);
      label += score;
    }
    int baseline = 0;
    const cv::Size text = cv::getTextSize(label, font, fontScale, fontThickness, &baseline);
    const int pad = std::max(1, thickness);
    const int boxHeight = text.height + baseline + 2 * pad;
    // Above the box when there is room, else just inside its top edge.
    int top = p1.y - boxHeight;
    if (top < 0) top = std::max(0, p1.y);
    int left = std::clamp(p1.x, 0, std::max(0, image.cols - text.width - 2 * pad));
    const cv::Rect background(left, top, text.width + 2 * pad, boxHeight);
    cv::rectangle(image, background & cv::Rect(0, 0, image.cols, image.rows), color, cv::FILLED);
    // Black text on light colours, white on dark (ITU-R BT.601 luma).
    const double luma = 0.114 * color[0] + 0.587 * color[1] + 0.299 * color[2];
    const cv::Scalar ink = luma > 150 ? cv::Scalar(0, 0, 0) : cv::Scalar(255, 255, 255);
    cv::putText(image, label, cv::Point(left + pad, top + pad + text.height), font, fontScale, ink,
                fontThickness, cv::LINE_AA);
  }
}

}  // namespace yolo::infer
