#pragma once
// Training-time augmentation on the original image and its boxes, before letterboxing,
// as the tutorial's Dataset does. Each transform is applied with probability 0.5.

#include <random>
#include <vector>

#include <opencv2/core.hpp>

#include "core/data/box.h"

namespace yolo::data {

struct AugmentSwitches {
  bool randomCrop = true;
  bool randomTranslate = true;
  bool horizontalFlip = false;
};

/// Crops a random amount from each of the four sides, never cutting into a box (the
/// tutorial's version only ever cropped left and top). Boxes move with the crop.
void randomCrop(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng);

/// Shifts image and boxes so every box stays inside; uncovered area takes `fill` (the
/// letterbox grey by default, not black, so the network sees one padding colour).
void randomTranslate(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng,
                     const cv::Scalar& fill);

/// Mirrors image and boxes left-right.
void horizontalFlip(cv::Mat& image, std::vector<Box>& boxes);

/// Applies the switched-on transforms, each with probability 0.5, in the tutorial's
/// order: flip, crop, translate.
void augment(cv::Mat& image, std::vector<Box>& boxes, const AugmentSwitches& switches,
             std::mt19937_64& rng);

}  // namespace yolo::data
