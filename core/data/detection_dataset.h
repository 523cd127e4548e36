#pragma once
// Samples -> network-ready tensors: read, augment, letterbox, scale to 0..1.

#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "core/data/augment.h"
#include "core/data/box.h"
#include "core/util/letterbox.h"

namespace yolo::data {

/// One letterboxed training image and its boxes.
struct TrainingExample {
  torch::Tensor image;  ///< [3,S,S] float32 RGB in 0..1
  torch::Tensor boxes;  ///< [N,5] float32 x1,y1,x2,y2,class in network-input pixels
};

/// `boxes` (image pixels) moved into the letterboxed network input `geometry` describes:
/// [N,5] float32 x1,y1,x2,y2,class in network-input pixels, clipped to the input; boxes left
/// under 1 pixel wide or high are dropped, and so are crowd regions (Box::Kind::crowd).
torch::Tensor toNetworkBoxes(const std::vector<Box>& boxes, const LetterboxGeometry& geometry,
                             int inputSize);

class DetectionDataset {
 public:
  DetectionDataset(std::vector<Sample> samples, int inputSize, AugmentSwitches augment);

  std::size_t size() const { return samples_.size(); }
  int inputSize() const { return inputSize_; }
  const std::vector<Sample>& samples() const { return samples_; }

  /// Reads sample `index`; augments it when `augment` is true, with randomness drawn only
  /// from `seed`, so the same (index, seed) always gives the same example. Boxes that end
  /// up degenerate are dropped. Throws std::runtime_error naming the image file when it
  /// cannot be read.
  TrainingExample get(std::size_t index, bool augment, uint64_t seed) const;

 private:
  std::vector<Sample> samples_;
  int inputSize_;
  AugmentSwitches augment_;
};

/// Seed for sample `index` of `epoch` in a run seeded `runSeed` (SplitMix64 mixing):
/// identical on resume, distinct across epochs.
uint64_t exampleSeed(uint64_t runSeed, int64_t epoch, std::size_t index);

/// The order samples are visited in `epoch`: a permutation of [0, n) fixed by the seed.
std::vector<std::size_t> epochOrder(std::size_t n, uint64_t runSeed, int64_t epoch, bool shuffle);

}  // namespace yolo::data
