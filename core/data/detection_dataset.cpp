#include "core/data/detection_dataset.h"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "core/util/image_file.h"
#include "core/util/letterbox.h"

namespace yolo::data {

namespace {

uint64_t splitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

}  // namespace

uint64_t exampleSeed(uint64_t runSeed, int64_t epoch, std::size_t index) {
  return splitMix64(splitMix64(splitMix64(runSeed) ^ static_cast<uint64_t>(epoch)) ^ index);
}

std::vector<std::size_t> epochOrder(std::size_t n, uint64_t runSeed, int64_t epoch, bool shuffle) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (shuffle) {
    std::mt19937_64 rng(splitMix64(runSeed ^ 0xA5A5A5A5ull) + static_cast<uint64_t>(epoch));
    // Fisher-Yates with our own index draws: std::shuffle's output differs between
    // standard libraries, and a resumed run must see the same order.
    for (std::size_t i = n; i > 1; --i) {
      std::swap(order[i - 1], order[rng() % i]);
    }
  }
  return order;
}

torch::Tensor toNetworkBoxes(const std::vector<Box>& boxes, const LetterboxGeometry& g,
                             int inputSize) {
  std::vector<float> flat;
  flat.reserve(boxes.size() * 5);
  const float limit = static_cast<float>(inputSize);
  for (const Box& b : boxes) {
    if (b.kind == Box::Kind::crowd) continue;  // many objects' region, not one to learn
    const float x1 = std::clamp(g.toNetworkX(b.x1), 0.f, limit);
    const float y1 = std::clamp(g.toNetworkY(b.y1), 0.f, limit);
    const float x2 = std::clamp(g.toNetworkX(b.x2), 0.f, limit);
    const float y2 = std::clamp(g.toNetworkY(b.y2), 0.f, limit);
    if (x2 - x1 < 1.f || y2 - y1 < 1.f) continue;
    flat.insert(flat.end(), {x1, y1, x2, y2, static_cast<float>(b.classId)});
  }
  return torch::from_blob(flat.data(), {static_cast<int64_t>(flat.size() / 5), 5}, torch::kFloat32)
      .clone();
}

DetectionDataset::DetectionDataset(std::vector<Sample> samples, int inputSize,
                                   AugmentSwitches augment)
    : samples_(std::move(samples)), inputSize_(inputSize), augment_(augment) {}

TrainingExample DetectionDataset::get(std::size_t index, bool augment, uint64_t seed) const {
  TORCH_CHECK(index < samples_.size(), "sample ", index, " of ", samples_.size());
  const Sample& sample = samples_[index];
  // Missing, corrupt, 0-byte or oversized files throw, naming the file (the batch loader
  // leaves the example out and the trainer says so once).
  cv::Mat image = toBgr8(readImageOrThrow(sample.image));
  std::vector<Box> boxes = sample.boxes;
  if (augment) {
    std::mt19937_64 rng(seed);
    data::augment(image, boxes, augment_, rng);
  }

  LetterboxGeometry g;
  const cv::Mat rgb = letterboxRgb(image, inputSize_, &g);
  torch::Tensor tensor =
      torch::from_blob(const_cast<uchar*>(rgb.data), {inputSize_, inputSize_, 3}, torch::kUInt8)
          .permute({2, 0, 1})
          .to(torch::kFloat32)
          .div_(255.0f);

  return {tensor.contiguous(), toNetworkBoxes(boxes, g, inputSize_)};
}

}  // namespace yolo::data
