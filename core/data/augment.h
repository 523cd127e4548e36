#pragma once
// Training-time augmentation on the original image and its boxes, before letterboxing,
// as the tutorial's Dataset does, plus the ones that make a detector trained on the
// generator's clean pages work on what users show it: larger digits (zoom), thicker or
// thinner strokes, other paper, ink, blur and noise. Each transform is applied to a random
// share of the images (AugmentSwitches).

#include <random>
#include <vector>

#include <opencv2/core.hpp>

#include "core/data/augment_switches.h"
#include "core/data/box.h"

namespace yolo::data {

/// Crops a random amount from each of the four sides, never cutting into a box (the
/// tutorial's version only ever cropped left and top). Boxes move with the crop.
void randomCrop(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng);

/// Shifts image and boxes so every box stays inside; uncovered area takes `fill` (the
/// letterbox grey by default, not black, so the network sees one padding colour).
void randomTranslate(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng,
                     const cv::Scalar& fill);

/// Mirrors image and boxes left-right.
void horizontalFlip(cv::Mat& image, std::vector<Box>& boxes);

/// Zooms in by a factor drawn log-uniformly from [1, maxZoom] on a window that holds one
/// randomly chosen box whole (the factor is capped so that box still fits); the image keeps
/// its size. Boxes wholly inside the window are kept, boxes cut by its edge are painted over
/// with the paper colour (half a digit is neither background nor a labelled digit), the rest
/// are dropped. Teaches digits far larger than the generator's largest.
void randomZoom(cv::Mat& image, std::vector<Box>& boxes, std::mt19937_64& rng, float maxZoom);

/// Thickens (2 in 3) or thins (1 in 3) the strokes inside every box by a radius drawn per box
/// and proportional to its size: up to 1.5 (thicker) or 0.5 (thinner) pixels of a 28 px
/// digit, so a small digit's 1 px stroke is not erased while a large one gets marker-thick;
/// then gives half of the digits crisp edges (sharpenStrokes), as drawn with a pen or a mouse,
/// where the upscaled scans of the generator have soft ones.
void randomStrokeWidth(cv::Mat& image, const std::vector<Box>& boxes, std::mt19937_64& rng);

/// New paper (110..255) and ink (0..90) levels, then with probability 0.5 a blur (sigma up to
/// 1.5 px), then with probability 0.5 noise (sigma up to 14 grey levels).
void randomPhotometric(cv::Mat& image, std::mt19937_64& rng);

/// Applies the switched-on transforms in the order: flip, crop, translate (the tutorial's,
/// each with probability 0.5), zoom, stroke width, photometric (each with probability
/// `switches.robustShare`).
void augment(cv::Mat& image, std::vector<Box>& boxes, const AugmentSwitches& switches,
             std::mt19937_64& rng);

}  // namespace yolo::data
