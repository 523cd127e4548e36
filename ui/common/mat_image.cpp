#include "ui/common/mat_image.h"

#include <opencv2/imgproc.hpp>

namespace yolo::ui {

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
