#pragma once
// Anchors fitted to a dataset's boxes, as Darknet's `detector calc_anchors` does: k-means on
// the boxes' (width, height) in network-input pixels with 1 - IoU as the distance (the boxes
// compared as if they shared a centre), so a large box and a small one weigh alike. The
// result is judged as Darknet prints it: the mean, over boxes, of the best IoU any anchor
// gives the box. Torch-free; the CLI's `anchors` command and the Statistics view use it.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data/box.h"
#include "core/model/model_spec.h"

namespace yolo::data {

/// A box's width and height in network-input pixels.
using BoxShape = std::array<float, 2>;

/// The shapes the network sees: each sample's boxes scaled as the letterbox scales its image
/// into `inputSize` (the long side fills the input). Crowd regions are left out (training
/// leaves them out too). Images whose size cannot be read are counted in `unreadable` and
/// their boxes left out.
std::vector<BoxShape> letterboxedBoxShapes(const std::vector<Sample>& samples, int inputSize,
                                           int* unreadable = nullptr);

/// IoU of two shapes placed on the same centre.
double centredIou(const BoxShape& a, const BoxShape& b);

/// Mean over `shapes` of the best centredIou any of `anchors` gives the shape; 0 when either
/// is empty.
double meanBestIou(const std::vector<BoxShape>& shapes, const std::vector<BoxShape>& anchors);

struct AnchorFitOptions {
  int count = 9;         ///< anchors to fit: 3 per output scale
  int restarts = 10;     ///< k-means runs from different seeds; the best mean IoU wins
  int iterations = 300;  ///< per run, at most (it stops earlier once no box changes cluster)
  std::uint64_t seed = 0;
};

struct AnchorFit {
  std::vector<BoxShape> anchors;  ///< by ascending area, rounded to whole pixels
  double meanBestIou = 0;         ///< of `anchors` over the shapes fitted
};

/// k-means with 1 - IoU as the distance, k-means++ seeding; the anchors of the best restart
/// by mean best IoU. With no more distinct shapes than `count` (a generator's few fixed
/// sizes), the anchors are those shapes, plus shapes between the neighbours furthest apart
/// to make `count` (mean best IoU 1 but for the rounding to whole pixels). Throws
/// std::invalid_argument when `shapes` is empty or `count` < 1.
AnchorFit fitAnchors(const std::vector<BoxShape>& shapes, const AnchorFitOptions& options = {});

struct ModelAnchorFit {
  std::vector<model::ScaleAnchors> anchors;  ///< per output scale, as ModelSpec::anchors
  double meanBestIou = 0;                    ///< of `anchors` over the shapes fitted
  double defaultMeanBestIou = 0;             ///< of the architecture's default anchors
};

/// fitAnchors() for `architecture`: three anchors per output scale, grouped by scale, with
/// the default anchors' mean best IoU beside them. Throws as fitAnchors().
ModelAnchorFit fitModelAnchors(const std::vector<BoxShape>& shapes, const std::string& architecture,
                               int restarts = 10, std::uint64_t seed = 0);

/// Anchors by ascending area, three per scale in stride order (smallest anchors on the
/// finest grid), as ModelSpec::anchors holds them. `anchors.size()` must be 3 * scales.
std::vector<model::ScaleAnchors> groupByScale(const std::vector<BoxShape>& anchors, int scales);

/// All anchors of a model, scale after scale.
std::vector<BoxShape> flatten(const std::vector<model::ScaleAnchors>& anchors);

/// Darknet's `anchors=` text: "10,14,  23,27,  37,58" (pairs of width,height).
std::string formatAnchors(const std::vector<model::ScaleAnchors>& anchors);

/// Reads formatAnchors' text (any spacing, commas or spaces between numbers) into `scales`
/// scales. Throws std::invalid_argument naming the text when it is not 3 * scales positive
/// width,height pairs.
std::vector<model::ScaleAnchors> parseAnchors(const std::string& text, int scales);

}  // namespace yolo::data
