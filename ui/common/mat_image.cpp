#include "ui/common/mat_image.h"

#include <opencv2/imgproc.hpp>

namespace yolo::ui {

QImage toQImage(const cv::Mat& input) {
  if (input.empty()) return {};
  cv::Mat mat = input;
  if (mat.depth() == CV_16U) input.convertTo(mat, CV_8U, 1.0 / 257.0);
  if (mat.depth() != CV_8U) return {};
  switch (mat.channels()) {
    case 1: {
      QImage out(mat.data, mat.cols, mat.rows, static_cast<qsizetype>(mat.step),
                 QImage::Format_Grayscale8);
      return out.copy();
    }
    case 3: {
      cv::Mat rgb;
      cv::cvtColor(mat, rgb, cv::COLOR_BGR2RGB);
      QImage out(rgb.data, rgb.cols, rgb.rows, static_cast<qsizetype>(rgb.step),
                 QImage::Format_RGB888);
      return out.copy();
    }
    case 4: {
      // OpenCV's BGRA byte order is QImage's ARGB32 on little-endian machines.
      cv::Mat rgba;
      cv::cvtColor(mat, rgba, cv::COLOR_BGRA2RGBA);
      QImage out(rgba.data, rgba.cols, rgba.rows, static_cast<qsizetype>(rgba.step),
                 QImage::Format_RGBA8888);
      return out.convertToFormat(QImage::Format_ARGB32);
    }
    default:
      return {};
  }
}

cv::Mat toMat(const QImage& image) {
  if (image.isNull()) return {};
  const QImage rgb = image.convertToFormat(QImage::Format_RGB888);
  const cv::Mat view(rgb.height(), rgb.width(), CV_8UC3, const_cast<uchar*>(rgb.constBits()),
                     static_cast<size_t>(rgb.bytesPerLine()));
  cv::Mat bgr;
  cv::cvtColor(view, bgr, cv::COLOR_RGB2BGR);  // allocates: the result owns its pixels
  return bgr;
}

}  // namespace yolo::ui
