#include <torch/torch.h>

#include "core/model/decode.h"

namespace yolo::model {

torch::Tensor reshapeRaw(const torch::Tensor& raw, int64_t anchorsPerScale) {
  TORCH_CHECK(raw.dim() == 4, "YOLO head output must be [B,A*(5+C),h,w], got ", raw.sizes());
  TORCH_CHECK(anchorsPerScale > 0 && raw.size(1) % anchorsPerScale == 0 &&
                  raw.size(1) / anchorsPerScale > 5,
              "YOLO head output has ", raw.size(1), " channels, not ", anchorsPerScale,
              " * (5 + C) with C >= 1");
  const int64_t batch = raw.size(0), h = raw.size(2), w = raw.size(3);
  return raw.reshape({batch, anchorsPerScale, raw.size(1) / anchorsPerScale, h, w})
      .permute({0, 3, 4, 1, 2})
      .contiguous();
}

torch::Tensor decode(const torch::Tensor& raw, const std::vector<std::array<float, 2>>& anchors,
                     int stride) {
  TORCH_CHECK(!anchors.empty(), "decode needs anchors");
  TORCH_CHECK(stride > 0, "decode stride must be positive, got ", stride);
  const auto numAnchors = static_cast<int64_t>(anchors.size());
  const torch::Tensor p = reshapeRaw(raw, numAnchors);
  const int64_t h = p.size(1), w = p.size(2);
  const auto options = p.options();

  // Cell offsets broadcast as [1, h, w, 1, 2] holding (column, row).
  const auto cols = torch::arange(w, options).view({1, 1, w, 1, 1}).expand({1, h, w, 1, 1});
  const auto rows = torch::arange(h, options).view({1, h, 1, 1, 1}).expand({1, h, w, 1, 1});
  const auto grid = torch::cat({cols, rows}, -1);

  std::vector<float> flat;
  for (const auto& wh : anchors) flat.insert(flat.end(), {wh[0], wh[1]});
  const auto anchorWh = torch::tensor(flat, torch::TensorOptions().dtype(torch::kFloat))
                            .to(options)
                            .view({1, 1, 1, numAnchors, 2});

  const auto xy = (torch::sigmoid(p.narrow(-1, 0, 2)) + grid) * stride;
  const auto wh = torch::exp(p.narrow(-1, 2, 2).clamp_max(kMaxLogScale)) * anchorWh;
  const auto scores = torch::sigmoid(p.narrow(-1, 4, p.size(-1) - 4));
  return torch::cat({xy, wh, scores}, -1);
}

}  // namespace yolo::model
