#pragma once
// The one place where OpenCV images and Qt images meet. Both directions copy the pixels,
// so neither side keeps a pointer into the other's buffer.

#include <QImage>

#include <opencv2/core.hpp>

namespace yolo::ui {

/// 8-bit gray, BGR or BGRA -> QImage (Grayscale8, RGB888, ARGB32). 16-bit images are scaled
/// down to 8 bits. An empty or unsupported Mat gives a null QImage.
QImage toQImage(const cv::Mat& mat);

/// Any QImage -> CV_8UC3 BGR (alpha dropped over white would change colours; it is ignored).
cv::Mat toMat(const QImage& image);

}  // namespace yolo::ui
