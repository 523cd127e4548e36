#include <torch/torch.h>

#include "core/data/yolo_targets.h"

#include <algorithm>
#include <cmath>

namespace yolo::train {

namespace {

/// IoU of two centre-format boxes given as plain floats.
float iouXywh(float ax, float ay, float aw, float ah, float bx, float by, float bw, float bh) {
  const float iw =
      std::max(0.f, std::min(ax + aw / 2, bx + bw / 2) - std::max(ax - aw / 2, bx - bw / 2));
  const float ih =
      std::max(0.f, std::min(ay + ah / 2, by + bh / 2) - std::max(ay - ah / 2, by - bh / 2));
  const float inter = iw * ih;
  const float unionArea =
      std::max(0.f, aw) * std::max(0.f, ah) + std::max(0.f, bw) * std::max(0.f, bh) - inter;
  return unionArea > 0.f ? inter / unionArea : 0.f;
}

}  // namespace

TargetOptions TargetOptions::fromSpec(const model::ModelSpec& spec) {
  TargetOptions options;
  options.inputSize = spec.inputSize;
  options.numClasses = spec.numClasses;
  options.strides = model::strides(spec.architecture);
  options.anchors = model::anchorsOf(spec);
  return options;
}

YoloTargets YoloTargets::to(const torch::Device& device) const {
  YoloTargets moved;
  for (const auto& t : labels) moved.labels.push_back(t.to(device));
  for (const auto& t : bboxes) moved.bboxes.push_back(t.to(device));
  return moved;
}

ImageTargets buildTargets(const torch::Tensor& boxesIn, const TargetOptions& options) {
  const auto scales = options.strides.size();
  TORCH_CHECK(scales > 0 && options.anchors.size() == scales, "buildTargets: ", scales,
              " strides but ", options.anchors.size(), " anchor scales");
  TORCH_CHECK(options.numClasses >= 1, "buildTargets: numClasses is ", options.numClasses);
  TORCH_CHECK(options.maxBoxesPerScale >= 1, "buildTargets: maxBoxesPerScale is ",
              options.maxBoxesPerScale);
  TORCH_CHECK(boxesIn.numel() == 0 || (boxesIn.dim() == 2 && boxesIn.size(1) == 5),
              "buildTargets expects boxes [N,5] x1,y1,x2,y2,class, got ", boxesIn.sizes());
  const int64_t numAnchors = static_cast<int64_t>(options.anchors[0].size());
  for (std::size_t s = 0; s < scales; ++s) {
    TORCH_CHECK(options.strides[s] > 0 && options.inputSize % options.strides[s] == 0,
                "buildTargets: input size ", options.inputSize, " is not a multiple of stride ",
                options.strides[s]);
    TORCH_CHECK(static_cast<int64_t>(options.anchors[s].size()) == numAnchors,
                "buildTargets: scale ", s, " has ", options.anchors[s].size(),
                " anchors, scale 0 has ", numAnchors);
  }

  const int64_t C = options.numClasses;
  ImageTargets out;
  std::vector<int64_t> bboxCount(scales, 0);
  for (std::size_t s = 0; s < scales; ++s) {
    const int64_t size = options.inputSize / options.strides[s];
    out.labels.push_back(torch::zeros({size, size, numAnchors, 5 + C}));
    out.bboxes.push_back(torch::zeros({options.maxBoxesPerScale, 4}));
  }
  if (boxesIn.numel() == 0) return out;

  const torch::Tensor boxes = boxesIn.to(torch::kFloat).contiguous();
  const auto b = boxes.accessor<float, 2>();
  const float delta = options.labelSmoothing;

  // Writes box `xywh` as the target of (scale, row, col, anchor) and records it in bboxes.
  auto assign = [&](std::size_t s, int64_t row, int64_t col, int64_t anchor,
                    const std::array<float, 4>& xywh, int64_t cls) {
    auto label = out.labels[s].accessor<float, 4>();
    for (int k = 0; k < 4; ++k) label[row][col][anchor][k] = xywh[k];
    label[row][col][anchor][4] = 1.f;
    for (int64_t c = 0; c < C; ++c)
      label[row][col][anchor][5 + c] = (c == cls ? 1.f - delta : 0.f) + delta / C;
  };
  auto record = [&](std::size_t s, const std::array<float, 4>& xywh) {
    auto bb = out.bboxes[s].accessor<float, 2>();
    const int64_t i = bboxCount[s] % options.maxBoxesPerScale;
    for (int k = 0; k < 4; ++k) bb[i][k] = xywh[k];
    ++bboxCount[s];
  };

  for (int64_t n = 0; n < boxes.size(0); ++n) {
    const float cf = b[n][4];
    const auto cls = static_cast<int64_t>(std::lround(cf));
    TORCH_CHECK(cls >= 0 && cls < C && std::abs(cf - static_cast<float>(cls)) < 1e-3f,
                "buildTargets: box ", n, " has class ", cf, ", expected an integer in [0, ", C,
                ")");
    const std::array<float, 4> xywh = {(b[n][0] + b[n][2]) / 2, (b[n][1] + b[n][3]) / 2,
                                       b[n][2] - b[n][0], b[n][3] - b[n][1]};
    TORCH_CHECK(std::isfinite(xywh[0]) && std::isfinite(xywh[1]) && std::isfinite(xywh[2]) &&
                    std::isfinite(xywh[3]),
                "buildTargets: box ", n, " has non-finite coordinates");

    bool anyPositive = false;
    float bestIou = -1.f;
    std::size_t bestScale = 0;
    int64_t bestAnchor = 0;
    std::vector<std::pair<int64_t, int64_t>> cells(scales);
    for (std::size_t s = 0; s < scales; ++s) {
      const float stride = static_cast<float>(options.strides[s]);
      const int64_t size = options.inputSize / options.strides[s];
      const float x = xywh[0] / stride, y = xywh[1] / stride;
      const float w = xywh[2] / stride, h = xywh[3] / stride;
      // The tutorial indexes with floor() and would fail on a centre at the far edge.
      const int64_t col = std::clamp<int64_t>(static_cast<int64_t>(std::floor(x)), 0, size - 1);
      const int64_t row = std::clamp<int64_t>(static_cast<int64_t>(std::floor(y)), 0, size - 1);
      cells[s] = {row, col};
      bool scalePositive = false;
      for (int64_t a = 0; a < numAnchors; ++a) {
        const float iou =
            iouXywh(x, y, w, h, static_cast<float>(col) + 0.5f, static_cast<float>(row) + 0.5f,
                    options.anchors[s][a][0] / stride, options.anchors[s][a][1] / stride);
        if (iou > bestIou) {  // first maximum wins, as np.argmax
          bestIou = iou;
          bestScale = s;
          bestAnchor = a;
        }
        if (iou > options.anchorIouThreshold) {
          assign(s, row, col, a, xywh, cls);
          scalePositive = true;
        }
      }
      // Recorded once per scale with a responsible anchor, as the tutorial does.
      if (scalePositive) record(s, xywh);
      anyPositive = anyPositive || scalePositive;
    }
    if (!anyPositive) {
      assign(bestScale, cells[bestScale].first, cells[bestScale].second, bestAnchor, xywh, cls);
      record(bestScale, xywh);
    }
  }
  return out;
}

YoloTargets stackTargets(const std::vector<ImageTargets>& images) {
  TORCH_CHECK(!images.empty(), "stackTargets: no images");
  const std::size_t scales = images[0].labels.size();
  YoloTargets batch;
  for (std::size_t s = 0; s < scales; ++s) {
    std::vector<torch::Tensor> labels, bboxes;
    for (std::size_t i = 0; i < images.size(); ++i) {
      TORCH_CHECK(images[i].labels.size() == scales && images[i].bboxes.size() == scales,
                  "stackTargets: image ", i, " has ", images[i].labels.size(),
                  " scales, image 0 has ", scales);
      labels.push_back(images[i].labels[s]);
      bboxes.push_back(images[i].bboxes[s]);
    }
    batch.labels.push_back(torch::stack(labels));
    batch.bboxes.push_back(torch::stack(bboxes));
  }
  return batch;
}

}  // namespace yolo::train
