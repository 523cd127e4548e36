#pragma once
// Letterboxing: fit an image into the square network input keeping its aspect ratio, pad
// with grey, and map boxes both ways. Training and detection share this one definition,
// so detections undo exactly the offsets that preprocessing applied.

#include <opencv2/core.hpp>

namespace yolo {

/// The padding colour, 128 of 255, as the tutorial's image_preprocess.
inline constexpr int kLetterboxPad = 128;

/// How an image of `sourceWidth` x `sourceHeight` sits inside the network input.
struct LetterboxGeometry {
  float scaleX = 1.f;    ///< network pixels per source pixel, across (resizedWidth / width)
  float scaleY = 1.f;    ///< network pixels per source pixel, down (resizedHeight / height)
  int offsetX = 0;       ///< left padding, network pixels
  int offsetY = 0;       ///< top padding, network pixels
  int resizedWidth = 0;  ///< the image's width inside the input, network pixels
  int resizedHeight = 0;

  /// As the tutorial: the long side fills the input, the short side is int(size * side /
  /// long side), offsets = (size - resized) / 2. Integer arithmetic, so the long side is never
  /// one short through float rounding. The scales are per axis, resized / source: the ratio
  /// cv::resize stretches each axis by, so mapping back undoes the resize exactly (a single
  /// min(size/w, size/h) is off by the short side's truncation, up to one network pixel).
  static LetterboxGeometry compute(int sourceWidth, int sourceHeight, int inputSize);

  float toNetworkX(float x) const { return x * scaleX + offsetX; }
  float toNetworkY(float y) const { return y * scaleY + offsetY; }
  float toSourceX(float x) const { return (x - offsetX) / scaleX; }
  float toSourceY(float y) const { return (y - offsetY) / scaleY; }
};

/// Converts any readable image (gray, BGR, BGRA; 8 or 16 bit; float) to 8-bit BGR.
cv::Mat toBgr8(const cv::Mat& image);

/// Letterboxes an 8-bit BGR image into a `inputSize` x `inputSize` 8-bit RGB image padded
/// with kLetterboxPad. Writes the geometry used to `geometry` when given.
cv::Mat letterboxRgb(const cv::Mat& bgr, int inputSize, LetterboxGeometry* geometry = nullptr);

/// The network input letterboxRgb() + division by 255 give, written in one pass straight into
/// `dst`: 3 planes (R, G, B) of inputSize x inputSize floats in 0..1, row-major (pad
/// kLetterboxPad / 255). That layout is the memory of a contiguous [1, 3, S, S] float tensor,
/// so the detector's input tensor is filled with no intermediate image and no transpose.
/// Values equal letterboxRgb()'s bytes / 255.f exactly. Returns the geometry used.
LetterboxGeometry letterboxRgbFloatInto(const cv::Mat& bgr, int inputSize, float* dst);

}  // namespace yolo
