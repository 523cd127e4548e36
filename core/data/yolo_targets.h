#pragma once
// Training targets of a YOLOv3 head, assigned as the TF2 tutorial's preprocess_true_boxes.

#include <vector>

#include <torch/torch.h>

#include "core/model/model_spec.h"

namespace yolo::train {

struct TargetOptions {
  int inputSize = 416;  ///< square network input, pixels
  int numClasses = 10;
  std::vector<int> strides;                  ///< ascending, one per output scale
  std::vector<model::ScaleAnchors> anchors;  ///< per scale, network-input pixels
  float anchorIouThreshold = 0.3f;           ///< anchors with IoU above it are responsible
  float labelSmoothing = 0.01f;              ///< delta: onehot * (1 - delta) + delta / C
  int maxBoxesPerScale = 100;                ///< rows of each bboxes tensor

  /// inputSize, classes, strides and anchors (anchorsOf) of `spec`.
  static TargetOptions fromSpec(const model::ModelSpec& spec);
};

/// Targets of one image.
struct ImageTargets {
  /// Per scale [h, w, A, 5 + C] float, h = w = inputSize / stride. For each responsible anchor:
  /// 0..3 the box cx, cy, w, h in network-input pixels; 4 the respond flag (1); 5.. the
  /// smoothed one-hot class. All zeros elsewhere.
  std::vector<torch::Tensor> labels;
  /// Per scale [maxBoxesPerScale, 4] float, cx, cy, w, h in pixels of the boxes that scale is
  /// responsible for; zero rows pad. Beyond maxBoxesPerScale the rows wrap around (the
  /// newest box overwrites the oldest), as the tutorial's bbox_count % max does.
  std::vector<torch::Tensor> bboxes;
};

/// A batch of targets.
struct YoloTargets {
  std::vector<torch::Tensor> labels;  ///< per scale [B, h, w, A, 5 + C]
  std::vector<torch::Tensor> bboxes;  ///< per scale [B, maxBoxesPerScale, 4]

  /// Moves every tensor (e.g. to the model's device).
  YoloTargets to(const torch::Device& device) const;
};

/// Assigns `boxes` ([N, 5] x1, y1, x2, y2, class index, in network-input pixels after the
/// letterbox; N may be 0) to anchors, exactly as the tutorial does:
///  - the box centre, divided by the stride, picks cell (floor(cx / s), floor(cy / s)) on
///    every scale, clamped into the grid (a centre on the right or bottom edge lands in the
///    last cell instead of being dropped);
///  - on every scale, each anchor placed at that cell's centre whose IoU with the box (both
///    in grid units, the box at its true centre) exceeds anchorIouThreshold is responsible;
///  - when no anchor on any scale exceeds it, the single best of all anchors is.
/// Later boxes overwrite earlier ones that claim the same cell and anchor.
/// Throws c10::Error for a class index outside [0, numClasses) or a malformed tensor.
ImageTargets buildTargets(const torch::Tensor& boxes, const TargetOptions& options);

/// Stacks per-image targets into a batch; all must come from the same TargetOptions.
YoloTargets stackTargets(const std::vector<ImageTargets>& images);

}  // namespace yolo::train
