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

/// readImage() for the readers that go on without a picture they cannot use (training,
/// evaluation, detection): throws std::runtime_error naming the file when it is missing, a
/// folder, larger than 2^30 pixels by its header (refused before the decoder allocates it),
/// or not decodable. Never throws cv::Exception.
cv::Mat readImageOrThrow(const std::filesystem::path& path);

/// Size of an image from its file header (PNG, JPEG, BMP parsed directly; anything else is
/// decoded with OpenCV), as readImage() decodes it: a JPEG whose EXIF orientation is a
/// quarter turn has width and height swapped. Returns an empty size (0x0) when the file
/// cannot be read.
cv::Size readImageSize(const std::filesystem::path& image);

}  // namespace yolo
