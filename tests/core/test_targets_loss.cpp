#include <torch/torch.h>

#include <cmath>

#include "core/data/detection_dataset.h"
#include "core/data/yolo_targets.h"
#include "core/model/decode.h"
#include "core/model/model_spec.h"
#include "core/model/yolo_net.h"
#include "core/train/yolo_loss.h"
#include "tests/core/support.h"

using namespace yolo;
using train::buildTargets;
using train::TargetOptions;

namespace {

class TargetsLoss : public test::SeededTest {
 protected:
  void SetUp() override {
    SeededTest::SetUp();
    torch::set_num_threads(2);
  }
};

TargetOptions yolov3Options(int inputSize = 416, int classes = 10) {
  return TargetOptions::fromSpec(model::makeModelSpec("yolov3", classes, inputSize));
}

/// Indices [scale, row, col, anchor] of every responsible anchor.
std::vector<std::array<int64_t, 4>> responsible(const train::ImageTargets& t) {
  std::vector<std::array<int64_t, 4>> out;
  for (std::size_t s = 0; s < t.labels.size(); ++s) {
    const auto idx = torch::nonzero(t.labels[s].select(-1, 4) > 0);
    for (int64_t i = 0; i < idx.size(0); ++i)
      out.push_back({static_cast<int64_t>(s), idx[i][0].item<int64_t>(), idx[i][1].item<int64_t>(),
                     idx[i][2].item<int64_t>()});
  }
  return out;
}

/// Inverse of decode for one anchor: raw tx, ty, tw, th that decode to box cx, cy, w, h.
void encodeInto(torch::Tensor raw, int64_t classes, int64_t row, int64_t col, int64_t anchor,
                int stride, const std::array<float, 2>& anchorWh, const torch::Tensor& xywh) {
  const auto logit = [](double p) { return std::log(p / (1 - p)); };
  const double fx = xywh[0].item<double>() / stride - col;
  const double fy = xywh[1].item<double>() / stride - row;
  const int64_t base = anchor * (5 + classes);
  raw[0][base + 0][row][col] = logit(fx);
  raw[0][base + 1][row][col] = logit(fy);
  raw[0][base + 2][row][col] = std::log(xywh[2].item<double>() / anchorWh[0]);
  raw[0][base + 3][row][col] = std::log(xywh[3].item<double>() / anchorWh[1]);
}

}  // namespace

// A 60x60 box centred at (212, 212). In grid units, with each anchor centred on the cell
// holding the box centre (cell 13 of stride 16: centre 216 px; cell 6 of stride 32: 208 px):
//   stride 8:  (10,13) .036, (16,30) .133, (33,23) .211  -> none
//   stride 16: (30,61) .454, (62,45) .671, (59,119) .457 -> all three
//   stride 32: (116,90) 3600 / (3600 + 10440 - 3600) = .345 -> responsible; others < .3
TEST_F(TargetsLoss, EveryAnchorAboveThresholdIsResponsible) {
  const auto t = buildTargets(torch::tensor({{182.f, 182.f, 242.f, 242.f, 3.f}}), yolov3Options());
  ASSERT_EQ(t.labels.size(), 3u);
  EXPECT_EQ(t.labels[0].sizes(), torch::IntArrayRef({52, 52, 3, 15}));
  EXPECT_EQ(t.labels[2].sizes(), torch::IntArrayRef({13, 13, 3, 15}));
  const auto r = responsible(t);
  const std::vector<std::array<int64_t, 4>> expected = {
      {1, 13, 13, 0}, {1, 13, 13, 1}, {1, 13, 13, 2}, {2, 6, 6, 0}};
  EXPECT_EQ(r, expected);
  const auto cell = t.labels[2][6][6][0];
  EXPECT_TRUE(torch::allclose(cell.narrow(0, 0, 4), torch::tensor({212.f, 212.f, 60.f, 60.f})));
  // bboxes: recorded once in each scale with a responsible anchor.
  EXPECT_EQ(t.bboxes[0].abs().sum().item<float>(), 0.f);
  EXPECT_TRUE(torch::allclose(t.bboxes[1][0], torch::tensor({212.f, 212.f, 60.f, 60.f})));
  EXPECT_EQ(t.bboxes[1].narrow(0, 1, 99).abs().sum().item<float>(), 0.f);
  EXPECT_TRUE(torch::allclose(t.bboxes[2][0], torch::tensor({212.f, 212.f, 60.f, 60.f})));
}

// A 4x4 box centred on cell (26, 26) of stride 8 lies inside every anchor, so IoU is
// 16 / anchor area: at most 16 / 130 = .12 for (10,13). Only that single best anchor is used.
TEST_F(TargetsLoss, FallsBackToTheSingleBestAnchor) {
  const auto t = buildTargets(torch::tensor({{210.f, 210.f, 214.f, 214.f, 0.f}}), yolov3Options());
  const std::vector<std::array<int64_t, 4>> expected = {{0, 26, 26, 0}};
  EXPECT_EQ(responsible(t), expected);
  EXPECT_TRUE(torch::allclose(t.bboxes[0][0], torch::tensor({212.f, 212.f, 4.f, 4.f})));
  EXPECT_EQ(t.bboxes[1].abs().sum().item<float>() + t.bboxes[2].abs().sum().item<float>(), 0.f);
}

TEST_F(TargetsLoss, LabelSmoothing) {
  const auto t = buildTargets(torch::tensor({{182.f, 182.f, 242.f, 242.f, 3.f}}), yolov3Options());
  const auto probs = t.labels[1][13][13][1].narrow(0, 5, 10);
  // onehot * (1 - 0.01) + 0.01 / 10
  for (int c = 0; c < 10; ++c) EXPECT_NEAR(probs[c].item<float>(), c == 3 ? 0.991f : 0.001f, 1e-7);
  EXPECT_NEAR(probs.sum().item<float>(), 1.f, 1e-6);
}

TEST_F(TargetsLoss, CentreOnTheImageEdgeIsClampedIntoTheGrid) {
  // Centre (416, 416): floor(416 / stride) is one past the last cell on every scale.
  const auto boxes = torch::tensor({{396.f, 396.f, 436.f, 436.f, 1.f}, {0.f, 0.f, 0.f, 0.f, 2.f}});
  train::ImageTargets t;
  ASSERT_NO_THROW(t = buildTargets(boxes, yolov3Options()));
  const auto r = responsible(t);
  ASSERT_FALSE(r.empty());
  bool sawEdge = false;
  for (const auto& [s, row, col, a] : r) {
    const int64_t last = 416 / (8 << s) - 1;
    if (row == last && col == last) sawEdge = true;
  }
  EXPECT_TRUE(sawEdge);
}

TEST_F(TargetsLoss, EmptyBoxesAndBadClasses) {
  const auto t = buildTargets(torch::zeros({0, 5}), yolov3Options());
  for (const auto& l : t.labels) EXPECT_EQ(l.abs().sum().item<float>(), 0.f);
  EXPECT_THROW(buildTargets(torch::tensor({{0.f, 0.f, 10.f, 10.f, 10.f}}), yolov3Options()),
               c10::Error);
  EXPECT_THROW(buildTargets(torch::tensor({{0.f, 0.f, 10.f, 10.f, -1.f}}), yolov3Options()),
               c10::Error);
  EXPECT_THROW(buildTargets(torch::zeros({2, 4}), yolov3Options()), c10::Error);
}

TEST_F(TargetsLoss, MoreThan100BoxesWrapTheBboxesList) {
  // 150 boxes 4x4, one per stride-8 cell: each falls back to (stride 8, anchor 0).
  std::vector<float> flat;
  for (int i = 0; i < 150; ++i) {
    const float cx = 4.f + 8.f * static_cast<float>(i % 50),
                cy = 4.f + 8.f * static_cast<float>(i / 50);
    flat.insert(flat.end(), {cx - 2, cy - 2, cx + 2, cy + 2, 0.f});
  }
  const auto t = buildTargets(torch::tensor(flat).view({150, 5}), yolov3Options());
  EXPECT_EQ(t.bboxes[0].sizes(), torch::IntArrayRef({100, 4}));
  EXPECT_EQ(responsible(t).size(), 150u);  // labels keep every box
  // Row i holds the newest box with index i mod 100: boxes 100..149 overwrote rows 0..49.
  EXPECT_FLOAT_EQ(t.bboxes[0][0][0].item<float>(), 4.f + 8.f * 0);   // box 100: i%50 = 0
  EXPECT_FLOAT_EQ(t.bboxes[0][0][1].item<float>(), 4.f + 8.f * 2);   // row 2
  EXPECT_FLOAT_EQ(t.bboxes[0][50][1].item<float>(), 4.f + 8.f * 1);  // box 50, row 1
}

TEST_F(TargetsLoss, CrowdRegionsAreNotLearnedDifficultObjectsAre) {
  yolo::data::Box object{10, 10, 50, 50, 3}, difficult{60, 60, 90, 90, 4}, crowd{0, 0, 200, 200, 5};
  difficult.kind = yolo::data::Box::Kind::difficult;
  crowd.kind = yolo::data::Box::Kind::crowd;
  const auto boxes = yolo::data::toNetworkBoxes({object, difficult, crowd}, {}, 416);
  ASSERT_EQ(boxes.size(0), 2);
  EXPECT_EQ(boxes[0][4].item<float>(), 3.f);
  EXPECT_EQ(boxes[1][4].item<float>(), 4.f);
}

TEST_F(TargetsLoss, StackTargets) {
  const auto opts = yolov3Options(128, 2);
  const auto a = buildTargets(torch::tensor({{10.f, 10.f, 50.f, 60.f, 1.f}}), opts);
  const auto b = buildTargets(torch::zeros({0, 5}), opts);
  const auto batch = train::stackTargets({a, b});
  ASSERT_EQ(batch.labels.size(), 3u);
  EXPECT_EQ(batch.labels[0].sizes(), torch::IntArrayRef({2, 16, 16, 3, 7}));
  EXPECT_EQ(batch.bboxes[2].sizes(), torch::IntArrayRef({2, 100, 4}));
  EXPECT_TRUE(torch::equal(batch.labels[1][0], a.labels[1]));
}

// Hand-checked decode of a 1x2 grid, 3 anchors, 1 class, stride 10.
TEST_F(TargetsLoss, DecodeByHand) {
  auto raw = torch::zeros({1, 18, 1, 2});
  // Anchor 1 (channels 6..11) at cell column 1: tx = 0, ty = ln 3 (sigmoid 0.75), tw = ln 2,
  // th = 0, tobj = 0, class logit ln 4 (sigmoid 0.8).
  raw[0][7][0][1] = std::log(3.f);
  raw[0][8][0][1] = std::log(2.f);
  raw[0][11][0][1] = std::log(4.f);
  raw[0][2][0][0] = 1000.f;  // anchor 0, cell 0: tw huge, must stay finite
  const std::vector<std::array<float, 2>> anchors = {{5, 6}, {20, 30}, {7, 8}};
  const auto d = model::decode(raw, anchors, /*stride=*/10);
  ASSERT_EQ(d.sizes(), torch::IntArrayRef({1, 1, 2, 3, 6}));
  EXPECT_TRUE(torch::allclose(d[0][0][1][1], torch::tensor({15.f, 7.5f, 40.f, 30.f, 0.5f, 0.8f})));
  // Anchor 2 at cell 0: centre of the cell, anchor-sized.
  EXPECT_TRUE(torch::allclose(d[0][0][0][2], torch::tensor({5.f, 5.f, 7.f, 8.f, 0.5f, 0.5f})));
  EXPECT_TRUE(torch::isfinite(d).all().item<bool>());
  EXPECT_NEAR(d[0][0][0][0][2].item<float>(), 5.f * 1e4f, 5.f);
  const auto r = model::reshapeRaw(raw);
  EXPECT_FLOAT_EQ(r[0][0][1][1][3].item<float>(), 0.f);
  EXPECT_FLOAT_EQ(r[0][0][1][1][5].item<float>(), std::log(4.f));
  EXPECT_THROW(model::decode(torch::zeros({1, 17, 1, 2}), anchors, 10), c10::Error);
}

TEST_F(TargetsLoss, LossIsFiniteOnRandomDataAndBackpropagates) {
  const auto spec = model::makeModelSpec("yolov3-tiny", 10, 128);
  auto net = model::createModel(spec);
  const auto opts = TargetOptions::fromSpec(spec);
  std::vector<train::ImageTargets> images;
  for (int i = 0; i < 2; ++i) {
    const auto xy = torch::rand({5, 2}) * 100;
    const auto wh = torch::rand({5, 2}) * 60 + 1;
    const auto cls = torch::randint(0, 10, {5, 1}).to(torch::kFloat);
    images.push_back(buildTargets(torch::cat({xy, (xy + wh).clamp_max(128), cls}, 1), opts));
  }
  const auto targets = train::stackTargets(images);
  const auto loss = train::computeLoss(net->forward(torch::rand({2, 3, 128, 128})), targets,
                                       train::YoloLossOptions::fromSpec(spec));
  for (const auto& t : {loss.total, loss.giou, loss.conf, loss.prob}) {
    EXPECT_EQ(t.dim(), 0);
    EXPECT_TRUE(std::isfinite(t.item<float>()));
    EXPECT_GT(t.item<float>(), 0.f);
  }
  EXPECT_EQ(loss.giouPerScale.size(), 2u);
  EXPECT_NEAR(loss.total.item<float>(), (loss.giou + loss.conf + loss.prob).item<float>(), 1e-3);
  loss.total.backward();
  for (const auto& p : net->parameters()) EXPECT_TRUE(torch::isfinite(p.grad()).all().item<bool>());
}

TEST_F(TargetsLoss, BoxLossVanishesWhenPredictionEqualsTruth) {
  const auto spec = model::makeModelSpec("yolov3", 2, 416);
  const auto opts = TargetOptions::fromSpec(spec);
  const auto image = buildTargets(torch::tensor({{182.f, 182.f, 242.f, 242.f, 1.f}}), opts);
  const auto targets = train::stackTargets({image});
  std::vector<torch::Tensor> raw;
  for (int s = 0; s < 3; ++s) {
    const int64_t size = 416 / opts.strides[s];
    raw.push_back(torch::zeros({1, 21, size, size}));
  }
  const auto loss0 = train::computeLoss(raw, targets, train::YoloLossOptions::fromSpec(spec));
  EXPECT_GT(loss0.giou.item<float>(), 0.5f);
  for (const auto& [s, row, col, a] : responsible(image))
    encodeInto(raw[s], 2, row, col, a, opts.strides[s], opts.anchors[s][a],
               image.labels[s][row][col][a].narrow(0, 0, 4));
  const auto loss = train::computeLoss(raw, targets, train::YoloLossOptions::fromSpec(spec));
  EXPECT_LT(loss.giou.item<float>(), 1e-4f);
  EXPECT_GT(loss.conf.item<float>(), 0.f);
}

// A 300x300 box on a 320 input is assigned to stride 32 only (stride-16 anchors reach IoU
// .024). A stride-16 prediction that matches it with high objectness is background when the
// ignore rule sees only its own scale's boxes, and ignored when it sees all boxes.
TEST_F(TargetsLoss, IgnoreRuleWithAllBoxesChangesConfLoss) {
  const auto spec = model::makeModelSpec("yolov3-tiny", 1, 320);
  const auto opts = TargetOptions::fromSpec(spec);
  const auto image = buildTargets(torch::tensor({{10.f, 10.f, 310.f, 310.f, 0.f}}), opts);
  for (const auto& r : responsible(image)) EXPECT_EQ(r[0], 1);
  const auto targets = train::stackTargets({image});
  std::vector<torch::Tensor> raw = {torch::zeros({1, 18, 20, 20}), torch::zeros({1, 18, 10, 10})};
  encodeInto(raw[0], 1, 9, 9, 2, 16, opts.anchors[0][2],
             torch::tensor({152.f, 152.f, 290.f, 290.f}));
  raw[0][0][2 * 6 + 4][9][9] = 3.f;  // tobj of anchor 2

  auto lossOpts = train::YoloLossOptions::fromSpec(spec);
  const auto all = train::computeLoss(raw, targets, lossOpts);
  lossOpts.ignoreWithAllBoxes = false;
  const auto own = train::computeLoss(raw, targets, lossOpts);
  // The confident anchor's background term: sigmoid(3)^2 * BCE(3, 0) = .9047^2 * 3.0486.
  const double term = std::pow(1 / (1 + std::exp(-3.0)), 2) * (3 + std::log1p(std::exp(-3.0)));
  EXPECT_NEAR((own.confPerScale[0] - all.confPerScale[0]).item<double>(), term, 1e-3);
  EXPECT_NEAR(own.confPerScale[1].item<double>(), all.confPerScale[1].item<double>(), 1e-5);
  EXPECT_NEAR(own.giou.item<double>(), all.giou.item<double>(), 1e-6);
}

// Overfits 4 synthetic 128x128 images with 2-3 boxes each (filled rectangles, one colour
// channel per class); the loss must fall below 30% of where it started.
TEST_F(TargetsLoss, TinyOverfitsFourImages) {
  const auto spec = model::makeModelSpec("yolov3-tiny", 3, 128);
  auto net = model::createModel(spec);
  const auto opts = TargetOptions::fromSpec(spec);
  auto images = torch::zeros({4, 3, 128, 128});
  std::vector<train::ImageTargets> labels;
  for (int i = 0; i < 4; ++i) {
    std::vector<float> boxes;
    const int count = 2 + i % 2;
    for (int k = 0; k < count; ++k) {
      const int cls = (i + k) % 3;
      const int slot = (i + k) % 4;  // quadrants, so boxes never overlap
      const float x1 = 8.f + 64.f * static_cast<float>(slot % 2) + 2.f * static_cast<float>(i);
      const float y1 = 8.f + 64.f * static_cast<float>(slot / 2);
      const float w = 24.f + 8.f * static_cast<float>(cls), h = 30.f + 4.f * static_cast<float>(k);
      images[i]
          .narrow(1, static_cast<int64_t>(y1), static_cast<int64_t>(h))
          .narrow(2, static_cast<int64_t>(x1), static_cast<int64_t>(w))[cls]
          .fill_(1.f);
      boxes.insert(boxes.end(), {x1, y1, x1 + w, y1 + h, static_cast<float>(cls)});
    }
    labels.push_back(buildTargets(torch::tensor(boxes).view({count, 5}), opts));
  }
  const auto targets = train::stackTargets(labels);
  const auto lossOpts = train::YoloLossOptions::fromSpec(spec);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  net->train();
  // Measured: the total falls to ~20% of its start by step 10 and ~8% by step 20; the box
  // loss to ~30%. 20 steps take about a minute on a busy 2-core machine.
  float first = 0.f, last = 0.f, firstGiou = 0.f, lastGiou = 0.f;
  for (int step = 0; step < 20; ++step) {
    adam.zero_grad();
    const auto loss = train::computeLoss(net->forward(images), targets, lossOpts);
    ASSERT_TRUE(std::isfinite(loss.total.item<float>())) << "step " << step;
    if (step == 0) {
      first = loss.total.item<float>();
      firstGiou = loss.giou.item<float>();
    }
    last = loss.total.item<float>();
    lastGiou = loss.giou.item<float>();
    loss.total.backward();
    adam.step();
  }
  EXPECT_LT(lastGiou, 0.5f * firstGiou) << "box loss: first " << firstGiou << ", last " << lastGiou;
  EXPECT_LT(last, 0.3f * first) << "first " << first << ", last " << last;
}
