#include "core/util/image_file.h"

#include <opencv2/imgcodecs.hpp>

namespace yolo {

cv::Mat readImage(const std::filesystem::path& path) {
  // Any flags but IMREAD_UNCHANGED (and without IMREAD_IGNORE_ORIENTATION) apply EXIF.
  return cv::imread(path.string(), cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
}

}  // namespace yolo
