#pragma once
// How a page of digits looks, changed without moving anything: paper and ink levels, blur,
// sensor noise, stroke width. Shared by the generator's harder variants and by training-time
// augmentation, so that what the detector is trained to survive is what the benchmarks test.
// Every function works in place on CV_8UC1 or CV_8UC3 images and keeps their size.

#include <cstdint>

#include <opencv2/core.hpp>

namespace yolo::data {

/// Maps 0 -> `ink` and 255 -> `paper`, linearly, on every channel: a white page with black
/// ink becomes a grey page with grey ink (lower contrast). ink < paper keeps dark ink dark.
void applyLevels(cv::Mat& image, int ink, int paper);

/// Gaussian blur of standard deviation `sigma` pixels; nothing below 0.3 (invisible).
void blurImage(cv::Mat& image, double sigma);

/// Adds zero-mean Gaussian noise of standard deviation `sigma` grey levels, the same on
/// every channel (a grey sensor), saturating at 0 and 255. Deterministic in `seed`.
void addNoise(cv::Mat& image, double sigma, std::uint64_t seed);

/// The most common grey level of the image (channel 0): the paper of a page of digits.
int dominantLevel(const cv::Mat& image);

/// Makes strokes thicker (radius > 0) or thinner (radius < 0) by |radius| pixels inside
/// `region`, with an elliptic kernel. Which pixels are strokes follows from `paper`: on a
/// light page the ink is dark (thickening takes the minimum), on a dark page it is light.
/// A fractional radius on a region under 64 px is applied to a copy upscaled 128 / side
/// times (at most 4x) and scaled back: a 14 px digit whose strokes should grow by 0.75 px
/// then grows by about that, where rounding to whole pixels would double them and close
/// its loops (an 8 becomes a 0). Whole radii, and larger regions (where rounding is a small
/// share of the radius), work on the pixels directly.
void changeStrokeWidth(cv::Mat& image, const cv::Rect& region, float radius, int paper);

/// Gives the strokes inside `region` crisp edges, as a pen or a mouse draws them, where
/// upscaled scans have soft ones: grey levels between the region's darkest and lightest
/// are stretched around `cut` (0..1 of the way from darkest to lightest) so that a band of
/// `ramp` (0..1 of that range) spans it all; the darkest and lightest levels stay. A lower
/// `cut` gives thinner dark strokes, a higher one thicker.
void sharpenStrokes(cv::Mat& image, const cv::Rect& region, double cut, double ramp);

}  // namespace yolo::data
