#pragma once
// IoU and GIoU of axis-aligned boxes. Pure functions, broadcasting like torch's arithmetic.

#include <torch/torch.h>

namespace yolo::model {

/// Smallest denominator the ratios use: areas below it count as empty, so IoU and GIoU are
/// finite (never NaN) for empty, degenerate or inverted boxes.
inline constexpr double kBoxEps = 1e-9;

/// [..., 4] cx, cy, w, h -> [..., 4] x1, y1, x2, y2 (same units).
torch::Tensor xywhToXyxy(const torch::Tensor& boxes);
/// [..., 4] x1, y1, x2, y2 -> [..., 4] cx, cy, w, h (same units).
torch::Tensor xyxyToXywh(const torch::Tensor& boxes);

/// IoU of `a` and `b`, both [..., 4] x1, y1, x2, y2, broadcast against each other over the
/// leading dims; returns the broadcast shape without the last dim. A box with x2 < x1 or
/// y2 < y1 is empty (area 0). When both boxes are empty the IoU is 0.
torch::Tensor boxIouXyxy(const torch::Tensor& a, const torch::Tensor& b);
/// GIoU (Rezatofighi et al. 2019) = IoU - (enclosing area - union) / enclosing area, in
/// [-1, 1]; same shapes and conventions as boxIouXyxy(). 0 when the enclosing box is empty.
torch::Tensor boxGiouXyxy(const torch::Tensor& a, const torch::Tensor& b);

/// As boxIouXyxy(), boxes as [..., 4] cx, cy, w, h.
torch::Tensor boxIouXywh(const torch::Tensor& a, const torch::Tensor& b);
/// As boxGiouXyxy(), boxes as [..., 4] cx, cy, w, h.
torch::Tensor boxGiouXywh(const torch::Tensor& a, const torch::Tensor& b);

/// Pairwise IoU matrix: a [N, 4], b [M, 4], x1, y1, x2, y2 -> [N, M].
torch::Tensor pairwiseIouXyxy(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace yolo::model
