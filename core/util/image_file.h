#pragma once
// One way to decode an image file for every reader (training, evaluation, detection), so that
// they all see the picture a user sees.

#include <filesystem>

#include <opencv2/core.hpp>

namespace yolo {

/// Decodes `path` with OpenCV, keeping 8- or 16-bit depth and grey or colour, with the EXIF
/// orientation applied: a phone photo stored sideways comes out as viewers, labelling tools
/// (CVAT, Label Studio, Roboflow) and the Detect view show it, so boxes drawn on it fit.
/// An alpha channel is dropped (toBgr8 drops it too). Empty when the file cannot be decoded;
/// OpenCV may throw cv::Exception on a malformed file.
cv::Mat readImage(const std::filesystem::path& path);

}  // namespace yolo
