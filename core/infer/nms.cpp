#include <torch/torch.h>

#include "core/infer/nms.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>
#include <vector>

namespace yolo::infer {

namespace {

struct Inputs {
  torch::Tensor boxes;    // [N, 4] float CPU contiguous
  torch::Tensor scores;   // [N] float CPU contiguous
  torch::Tensor classes;  // [N] int64 CPU contiguous
};

/// `classes` may be undefined (a step that looks at boxes and scores only); it then stays so.
Inputs checkedInputs(const torch::Tensor& boxes, const torch::Tensor& scores,
                     const torch::Tensor& classes, const char* what) {
  TORCH_CHECK(boxes.dim() == 2 && boxes.size(1) == 4, what, " expects boxes [N, 4], got ",
              boxes.sizes());
  TORCH_CHECK(scores.dim() == 1 && scores.size(0) == boxes.size(0), what, " expects scores [",
              boxes.size(0), "], got ", scores.sizes());
  if (classes.defined()) {
    TORCH_CHECK(classes.dim() == 1 && classes.size(0) == boxes.size(0), what, " expects classes [",
                boxes.size(0), "], got ", classes.sizes());
    TORCH_CHECK(!classes.is_floating_point(), what, " expects integer classes, got ",
                classes.dtype());
  }
  // Candidates after the score threshold number in the hundreds: a CPU loop beats launching
  // GPU kernels per box.
  return {boxes.to(torch::kCPU, torch::kFloat).contiguous(),
          scores.to(torch::kCPU, torch::kFloat).contiguous(),
          classes.defined() ? classes.to(torch::kCPU, torch::kLong).contiguous() : classes};
}

/// Indices sorted by descending score, ties by index.
std::vector<int64_t> byScore(const Inputs& in) {
  const float* s = in.scores.data_ptr<float>();
  std::vector<int64_t> order(static_cast<size_t>(in.scores.size(0)));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [s](int64_t a, int64_t b) { return s[a] > s[b]; });
  return order;
}

/// byScore(), grouped per class (order kept).
std::vector<std::vector<int64_t>> byClassByScore(const Inputs& in) {
  const int64_t* c = in.classes.data_ptr<int64_t>();
  std::unordered_map<int64_t, size_t> slot;
  std::vector<std::vector<int64_t>> groups;
  for (int64_t i : byScore(in)) {
    auto [it, added] = slot.try_emplace(c[i], groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  return groups;
}

float boxArea(const float* b) { return std::max(0.f, b[2] - b[0]) * std::max(0.f, b[3] - b[1]); }

/// 0 when the boxes do not overlap.
float intersectionArea(const float* a, const float* b) {
  const float iw = std::min(a[2], b[2]) - std::max(a[0], b[0]);
  const float ih = std::min(a[3], b[3]) - std::max(a[1], b[1]);
  return iw > 0.f && ih > 0.f ? iw * ih : 0.f;
}

}  // namespace

float boxIou(const float* a, const float* b) {
  const float inter = intersectionArea(a, b);
  if (inter <= 0.f) return 0.f;
  const float unionArea = boxArea(a) + boxArea(b) - inter;
  return unionArea > 0.f ? inter / unionArea : 0.f;
}

torch::Tensor nmsPerClass(const torch::Tensor& boxes, const torch::Tensor& scores,
                          const torch::Tensor& classes, float iouThreshold) {
  const Inputs in = checkedInputs(boxes, scores, classes, "nmsPerClass");
  const float* b = in.boxes.data_ptr<float>();
  const float* s = in.scores.data_ptr<float>();

  std::vector<int64_t> keep;
  for (const auto& group : byClassByScore(in)) {
    // torchvision's loop: walk in score order, each kept box suppresses the later ones.
    std::vector<char> suppressed(group.size(), 0);
    for (size_t i = 0; i < group.size(); ++i) {
      if (suppressed[i]) continue;
      keep.push_back(group[i]);
      const float* bi = b + 4 * group[i];
      for (size_t j = i + 1; j < group.size(); ++j) {
        if (!suppressed[j] && boxIou(bi, b + 4 * group[j]) > iouThreshold) suppressed[j] = 1;
      }
    }
  }
  std::stable_sort(keep.begin(), keep.end(),
                   [s](int64_t x, int64_t y) { return s[x] > s[y] || (s[x] == s[y] && x < y); });
  return torch::tensor(keep, torch::kLong).view({static_cast<int64_t>(keep.size())});
}

torch::Tensor dropBoxesInsideBetterOnes(const torch::Tensor& boxes, const torch::Tensor& scores,
                                        float cover) {
  const Inputs in = checkedInputs(boxes, scores, torch::Tensor(), "dropBoxesInsideBetterOnes");
  const float* b = in.boxes.data_ptr<float>();
  auto coveredShare = [](const float* box, const float* by) {
    const float area = boxArea(box);
    return area > 0.f ? intersectionArea(box, by) / area : 0.f;
  };
  std::vector<int64_t> keep;
  for (int64_t i : byScore(in)) {
    const bool covered = std::any_of(keep.begin(), keep.end(), [&](int64_t k) {
      return coveredShare(b + 4 * i, b + 4 * k) > cover;
    });
    if (!covered) keep.push_back(i);
  }
  return torch::tensor(keep, torch::kLong).view({static_cast<int64_t>(keep.size())});
}

SoftNmsResult softNmsPerClass(const torch::Tensor& boxes, const torch::Tensor& scores,
                              const torch::Tensor& classes, float sigma, float scoreThreshold) {
  TORCH_CHECK(sigma > 0.f, "softNmsPerClass needs sigma > 0, got ", sigma);
  const Inputs in = checkedInputs(boxes, scores, classes, "softNmsPerClass");
  const float* b = in.boxes.data_ptr<float>();
  const float* s = in.scores.data_ptr<float>();

  std::vector<std::pair<int64_t, float>> kept;
  for (const auto& group : byClassByScore(in)) {
    std::vector<int64_t> live;
    std::vector<float> score;
    for (int64_t i : group) {
      if (s[i] > scoreThreshold) {
        live.push_back(i);
        score.push_back(s[i]);
      }
    }
    // The best box changes as scores decay, so pick the maximum again each round: O(n^2).
    while (!live.empty()) {
      size_t best = 0;
      for (size_t k = 1; k < live.size(); ++k)
        if (score[k] > score[best] || (score[k] == score[best] && live[k] < live[best])) best = k;
      const int64_t top = live[best];
      kept.emplace_back(top, score[best]);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(best));
      score.erase(score.begin() + static_cast<std::ptrdiff_t>(best));
      size_t out = 0;
      for (size_t k = 0; k < live.size(); ++k) {
        const float iou = boxIou(b + 4 * top, b + 4 * live[k]);
        const float decayed = score[k] * std::exp(-(iou * iou) / sigma);
        if (decayed > scoreThreshold) {
          live[out] = live[k];
          score[out] = decayed;
          ++out;
        }
      }
      live.resize(out);
      score.resize(out);
    }
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) {
    return x.second > y.second || (x.second == y.second && x.first < y.first);
  });
  std::vector<int64_t> indices;
  std::vector<float> decayed;
  for (const auto& [i, v] : kept) {
    indices.push_back(i);
    decayed.push_back(v);
  }
  const auto k = static_cast<int64_t>(kept.size());
  return {torch::tensor(indices, torch::kLong).view({k}),
          torch::tensor(decayed, torch::kFloat).view({k})};
}

}  // namespace yolo::infer
