#include <torch/torch.h>

#include <cmath>

#include "core/model/box_ops.h"
#include "tests/core/support.h"

using namespace yolo::model;

namespace {

torch::Tensor box(float a, float b, float c, float d) { return torch::tensor({a, b, c, d}); }

float iou(const torch::Tensor& a, const torch::Tensor& b) { return boxIouXyxy(a, b).item<float>(); }
float giou(const torch::Tensor& a, const torch::Tensor& b) {
  return boxGiouXyxy(a, b).item<float>();
}

}  // namespace

TEST(BoxOps, IdenticalBoxes) {
  EXPECT_FLOAT_EQ(iou(box(0, 0, 2, 3), box(0, 0, 2, 3)), 1.f);
  EXPECT_FLOAT_EQ(giou(box(0, 0, 2, 3), box(0, 0, 2, 3)), 1.f);
}

TEST(BoxOps, DisjointBoxes) {
  // Unit squares one unit apart: union 2, enclosing box 3 x 1.
  EXPECT_FLOAT_EQ(iou(box(0, 0, 1, 1), box(2, 0, 3, 1)), 0.f);
  EXPECT_NEAR(giou(box(0, 0, 1, 1), box(2, 0, 3, 1)), -1.f / 3.f, 1e-6);
  // Touching edges: still no overlap, and the enclosing box is the union: GIoU 0.
  EXPECT_NEAR(giou(box(0, 0, 1, 1), box(1, 0, 2, 1)), 0.f, 1e-6);
  // Far apart, GIoU tends to -1.
  EXPECT_LT(giou(box(0, 0, 1, 1), box(1000, 1000, 1001, 1001)), -0.999f);
}

TEST(BoxOps, NestedBoxes) {
  // 2x2 inside 4x4: IoU 4/16; the enclosing box is the outer one, so GIoU = IoU.
  EXPECT_FLOAT_EQ(iou(box(0, 0, 4, 4), box(1, 1, 3, 3)), 0.25f);
  EXPECT_FLOAT_EQ(giou(box(0, 0, 4, 4), box(1, 1, 3, 3)), 0.25f);
  EXPECT_FLOAT_EQ(giou(box(1, 1, 3, 3), box(0, 0, 4, 4)), 0.25f);
}

TEST(BoxOps, EqualIouDifferentGiou) {
  // 2x2 boxes overlapping by area 2, so IoU = 2 / 6 = 1/3 both times.
  // Aligned (shifted 1 along x): the enclosing 3x2 box is the union, GIoU = 1/3.
  const auto aligned = box(1, 0, 3, 2);
  // Offset diagonally by d = 2 - sqrt(2): overlap sqrt(2)^2 = 2, enclosing (4 - sqrt(2))^2.
  const float d = 2.f - std::sqrt(2.f);
  const auto offset = box(d, d, 2 + d, 2 + d);
  const auto a = box(0, 0, 2, 2);
  EXPECT_NEAR(iou(a, aligned), 1.f / 3.f, 1e-6);
  EXPECT_NEAR(iou(a, offset), 1.f / 3.f, 1e-5);
  EXPECT_NEAR(giou(a, aligned), 1.f / 3.f, 1e-6);
  const float enclose = (4.f - std::sqrt(2.f)) * (4.f - std::sqrt(2.f));
  EXPECT_NEAR(giou(a, offset), 1.f / 3.f - (enclose - 6.f) / enclose, 1e-5);  // 0.2307

  // 3x1 bars: IoU 1 / 5 either way. Aligned end to end: GIoU 0.2. Crossing at right angles:
  // enclosing 3x3, GIoU = 0.2 - (9 - 5) / 9.
  const auto bar = box(0, 1, 3, 2);
  EXPECT_NEAR(iou(bar, box(2, 1, 5, 2)), 0.2f, 1e-6);
  EXPECT_NEAR(iou(bar, box(1, 0, 2, 3)), 0.2f, 1e-6);
  EXPECT_NEAR(giou(bar, box(2, 1, 5, 2)), 0.2f, 1e-6);
  EXPECT_NEAR(giou(bar, box(1, 0, 2, 3)), 0.2f - 4.f / 9.f, 1e-6);
}

TEST(BoxOps, CentreFormatMatchesCornerFormat) {
  const auto xywh = torch::tensor({{1.f, 1.f, 2.f, 2.f}, {2.f, 1.f, 2.f, 2.f}});
  const auto xyxy = xywhToXyxy(xywh);
  EXPECT_TRUE(torch::allclose(xyxy, torch::tensor({{0.f, 0.f, 2.f, 2.f}, {1.f, 0.f, 3.f, 2.f}})));
  EXPECT_TRUE(torch::allclose(xyxyToXywh(xyxy), xywh));
  EXPECT_NEAR(boxIouXywh(xywh[0], xywh[1]).item<float>(), 1.f / 3.f, 1e-6);
  EXPECT_NEAR(boxGiouXywh(xywh[0], xywh[1]).item<float>(), 1.f / 3.f, 1e-6);
}

TEST(BoxOps, Broadcasting) {
  const auto a =
      torch::tensor({{0.f, 0.f, 2.f, 2.f}, {0.f, 0.f, 4.f, 4.f}, {10.f, 10.f, 11.f, 11.f}});
  const auto b = torch::tensor({{0.f, 0.f, 2.f, 2.f}, {1.f, 1.f, 3.f, 3.f}});
  const auto m = pairwiseIouXyxy(a, b);
  ASSERT_EQ(m.sizes(), torch::IntArrayRef({3, 2}));
  EXPECT_FLOAT_EQ(m[0][0].item<float>(), 1.f);
  EXPECT_NEAR(m[0][1].item<float>(), 1.f / 7.f, 1e-6);
  EXPECT_FLOAT_EQ(m[1][0].item<float>(), 0.25f);
  EXPECT_FLOAT_EQ(m[2][1].item<float>(), 0.f);
  EXPECT_EQ(boxGiouXyxy(a.view({1, 3, 4}), b.view({2, 1, 4})).sizes(), torch::IntArrayRef({2, 3}));
  EXPECT_THROW(boxIouXyxy(torch::zeros({3, 5}), torch::zeros({3, 4})), c10::Error);
}

TEST(BoxOps, DegenerateBoxesStayFinite) {
  // Zero width, a point, identical points, inverted, and both empty at the same place.
  const auto a = torch::tensor({{0.f, 0.f, 0.f, 2.f},
                                {1.f, 1.f, 1.f, 1.f},
                                {1.f, 1.f, 1.f, 1.f},
                                {2.f, 2.f, 0.f, 0.f},
                                {0.f, 0.f, 0.f, 0.f}});
  const auto b = torch::tensor({{0.f, 0.f, 2.f, 2.f},
                                {0.f, 0.f, 2.f, 2.f},
                                {1.f, 1.f, 1.f, 1.f},
                                {0.f, 0.f, 2.f, 2.f},
                                {0.f, 0.f, 0.f, 0.f}});
  const auto ious = boxIouXyxy(a, b);
  const auto gious = boxGiouXyxy(a, b);
  EXPECT_TRUE(torch::isfinite(ious).all().item<bool>());
  EXPECT_TRUE(torch::isfinite(gious).all().item<bool>());
  EXPECT_TRUE(torch::allclose(ious, torch::zeros({5})));
  EXPECT_TRUE((gious >= -1.f).all().item<bool>() && (gious <= 1.f).all().item<bool>());
  // An empty box inside a 2x2 one: no overlap, the enclosing box is the 2x2 = union: GIoU 0.
  EXPECT_FLOAT_EQ(gious[1].item<float>(), 0.f);

  // Gradients through degenerate cases are finite too (the loss backpropagates through them).
  const auto xywh = torch::tensor({{1.f, 1.f, 0.f, 0.f}, {5.f, 5.f, 1e-12f, 2.f}}).requires_grad_();
  const auto target = torch::tensor({{1.f, 1.f, 0.f, 0.f}, {0.f, 0.f, 0.f, 0.f}});
  (1 - boxGiouXywh(xywh, target)).sum().backward();
  EXPECT_TRUE(torch::isfinite(xywh.grad()).all().item<bool>());
}
