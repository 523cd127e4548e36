#pragma once
// Which training-time augmentations run (core/data/augment.h), as a run's config.json holds
// them (RunConfig::augment). No OpenCV or torch here: the GUI's Train form edits it.

#include <nlohmann/json.hpp>

namespace yolo::data {

/// Each switched-on transform of the tutorial's (crop, translate, flip) applies to half of
/// the images; each robustness transform (zoom, stroke width, photometric) to `robustShare`.
struct AugmentSwitches {
  bool randomCrop = true;       ///< crop all four sides, never cutting a box
  bool randomTranslate = true;  ///< shift, filling with the letterbox padding colour
  bool horizontalFlip = false;  ///< off: a mirrored digit is a wrong label
  bool randomZoom = false;      ///< zoom in up to zoomMax on a window holding a box whole
  float zoomMax = 2.5f;         ///< largest zoom: 2.5 turns the 112 px digits into 280 px
  bool strokeWidth = false;     ///< thicker or thinner strokes, in proportion to each box
  bool photometric = false;     ///< paper and ink levels, blur, noise
  /// Share of the images each switched-on robustness transform is applied to: the rest keep
  /// the clean pages the default test split has (docs/training.md, "Levers, measured").
  float robustShare = 0.5f;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(AugmentSwitches, randomCrop, randomTranslate,
                                                horizontalFlip, randomZoom, zoomMax, strokeWidth,
                                                photometric, robustShare)

}  // namespace yolo::data
