#pragma once
// Where Qt images become OpenCV images (for the detector). The pixels are copied, so
// neither side keeps a pointer into the other's buffer.

#include <QImage>

#include <opencv2/core.hpp>

namespace yolo::ui {

/// Any QImage -> CV_8UC3 BGR (alpha dropped over white would change colours; it is ignored).
cv::Mat toMat(const QImage& image);

}  // namespace yolo::ui
