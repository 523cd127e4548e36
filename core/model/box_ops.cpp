#include <torch/torch.h>

#include "core/model/box_ops.h"

namespace yolo::model {

namespace {

void checkBoxes(const torch::Tensor& boxes, const char* what) {
  TORCH_CHECK(boxes.dim() >= 1 && boxes.size(-1) == 4, what, " expects boxes [..., 4], got ",
              boxes.sizes());
}

struct Overlap {
  torch::Tensor inter, unionArea, enclose;
};

Overlap overlap(const torch::Tensor& a, const torch::Tensor& b, bool withEnclose) {
  const auto ax1 = a.select(-1, 0), ay1 = a.select(-1, 1), ax2 = a.select(-1, 2),
             ay2 = a.select(-1, 3);
  const auto bx1 = b.select(-1, 0), by1 = b.select(-1, 1), bx2 = b.select(-1, 2),
             by2 = b.select(-1, 3);
  const auto areaA = (ax2 - ax1).clamp_min(0) * (ay2 - ay1).clamp_min(0);
  const auto areaB = (bx2 - bx1).clamp_min(0) * (by2 - by1).clamp_min(0);
  const auto iw = (torch::min(ax2, bx2) - torch::max(ax1, bx1)).clamp_min(0);
  const auto ih = (torch::min(ay2, by2) - torch::max(ay1, by1)).clamp_min(0);
  Overlap o;
  o.inter = iw * ih;
  o.unionArea = areaA + areaB - o.inter;
  if (withEnclose) {
    const auto ew = (torch::max(ax2, bx2) - torch::min(ax1, bx1)).clamp_min(0);
    const auto eh = (torch::max(ay2, by2) - torch::min(ay1, by1)).clamp_min(0);
    o.enclose = ew * eh;
  }
  return o;
}

}  // namespace

torch::Tensor xywhToXyxy(const torch::Tensor& boxes) {
  checkBoxes(boxes, "xywhToXyxy");
  const auto xy = boxes.narrow(-1, 0, 2);
  const auto half = boxes.narrow(-1, 2, 2) * 0.5;
  return torch::cat({xy - half, xy + half}, -1);
}

torch::Tensor xyxyToXywh(const torch::Tensor& boxes) {
  checkBoxes(boxes, "xyxyToXywh");
  const auto p1 = boxes.narrow(-1, 0, 2);
  const auto p2 = boxes.narrow(-1, 2, 2);
  return torch::cat({(p1 + p2) * 0.5, p2 - p1}, -1);
}

torch::Tensor boxIouXyxy(const torch::Tensor& a, const torch::Tensor& b) {
  checkBoxes(a, "boxIou");
  checkBoxes(b, "boxIou");
  const Overlap o = overlap(a, b, /*withEnclose=*/false);
  // clamp_min, not + eps: exact IoU for real boxes, 0 / eps = 0 when both are empty.
  return o.inter / o.unionArea.clamp_min(kBoxEps);
}

torch::Tensor boxGiouXyxy(const torch::Tensor& a, const torch::Tensor& b) {
  checkBoxes(a, "boxGiou");
  checkBoxes(b, "boxGiou");
  const Overlap o = overlap(a, b, /*withEnclose=*/true);
  const auto iou = o.inter / o.unionArea.clamp_min(kBoxEps);
  // The enclosing box contains the union, so enclose - union >= 0 up to rounding.
  return iou - (o.enclose - o.unionArea).clamp_min(0) / o.enclose.clamp_min(kBoxEps);
}

torch::Tensor boxIouXywh(const torch::Tensor& a, const torch::Tensor& b) {
  return boxIouXyxy(xywhToXyxy(a), xywhToXyxy(b));
}

torch::Tensor boxGiouXywh(const torch::Tensor& a, const torch::Tensor& b) {
  return boxGiouXyxy(xywhToXyxy(a), xywhToXyxy(b));
}

torch::Tensor pairwiseIouXyxy(const torch::Tensor& a, const torch::Tensor& b) {
  TORCH_CHECK(a.dim() == 2 && a.size(1) == 4 && b.dim() == 2 && b.size(1) == 4,
              "pairwiseIouXyxy expects [N,4] and [M,4], got ", a.sizes(), " and ", b.sizes());
  return boxIouXyxy(a.unsqueeze(1), b.unsqueeze(0));
}

}  // namespace yolo::model
