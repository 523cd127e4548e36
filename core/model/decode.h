#pragma once
// Raw YOLO head output -> boxes in network-input pixels. Pure functions, kept out of forward().

#include <array>
#include <vector>

#include <torch/torch.h>

namespace yolo::model {

/// exp(tw) is taken of min(tw, kMaxLogScale), so a box is at most 1e4 anchors wide and
/// exp never overflows to inf (which would make the GIoU loss NaN).
inline constexpr double kMaxLogScale = 9.2103404;  // log(1e4)

/// raw: [B, 3 * (5 + C), h, w] head output (anchor-major channels, see YoloNetImpl::forward)
/// -> [B, h, w, 3, 5 + C], the same numbers rearranged (permuted, contiguous).
torch::Tensor reshapeRaw(const torch::Tensor& raw, int64_t anchorsPerScale = 3);

/// Decodes one scale. raw: [B, A * (5 + C), h, w]; anchors: A (width, height) pairs in
/// network-input pixels; stride: network-input pixels per cell.
/// Returns [B, h, w, A, 5 + C] in raw's dtype and device:
///   0, 1  box centre x, y = (sigmoid(tx, ty) + cell column, row) * stride, pixels
///   2, 3  box width, height = exp(min(tw, th, kMaxLogScale)) * anchor, pixels
///   4     objectness = sigmoid(tobj)
///   5..   class probabilities, independent sigmoids (not a softmax)
/// Differentiable; the loss uses it on the training outputs.
torch::Tensor decode(const torch::Tensor& raw, const std::vector<std::array<float, 2>>& anchors,
                     int stride);

}  // namespace yolo::model
