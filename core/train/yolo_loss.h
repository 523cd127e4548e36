#pragma once
// The YOLOv3 loss of the TF2 tutorial's compute_loss: GIoU box loss, focal-weighted
// objectness with an ignore band, and per-class binary cross-entropy.

#include <vector>

#include <torch/torch.h>

#include "core/data/yolo_targets.h"
#include "core/model/model_spec.h"

namespace yolo::train {

struct YoloLossOptions {
  std::vector<int> strides;                  ///< ascending, one per output scale
  std::vector<model::ScaleAnchors> anchors;  ///< per scale, network-input pixels
  /// A background anchor whose predicted box overlaps a ground-truth box with IoU >= this is
  /// ignored by the objectness loss (neither positive nor negative).
  float ignoreIouThreshold = 0.5f;
  /// true: the ignore rule compares each prediction with all ground-truth boxes of its image,
  /// from every scale's bboxes. false: only with the bboxes of the prediction's own scale,
  /// as the tutorial's code does (a large box assigned only to stride 32 then makes the
  /// stride-8 predictions on it count as background).
  bool ignoreWithAllBoxes = true;

  /// Strides and anchors (anchorsOf) of `spec`.
  static YoloLossOptions fromSpec(const model::ModelSpec& spec);
};

/// Loss terms, all 0-dim float tensors on the outputs' device (differentiable).
struct LossBreakdown {
  torch::Tensor total;  ///< giou + conf + prob
  torch::Tensor giou, conf, prob;
  std::vector<torch::Tensor> giouPerScale, confPerScale, probPerScale;  ///< stride order
};

/// rawOutputs: the network's outputs (YoloNetImpl::forward), per scale
/// [B, A * (5 + C), h, w] in stride order; targets: labels [B, h, w, A, 5 + C] and bboxes
/// [B, M, 4] per scale (buildTargets + stackTargets), any device (moved to the outputs').
/// Per scale, with pred = decode(raw), respond = label[..., 4]:
///   giou = respond * (2 - w * h / (H * W)) * (1 - GIoU(pred box, label box)), H x W the
///          network input (h * stride x w * stride), w, h the label box's size;
///   conf = (respond - sigmoid(tobj))^2 * BCEWithLogits(tobj, respond), counted where
///          respond = 1 or where the predicted box's best IoU with ground truth is below
///          ignoreIouThreshold;
///   prob = respond * sum over classes of BCEWithLogits(class logit, smoothed one-hot).
/// Each term is summed over cells and anchors per image and averaged over the batch; the
/// totals sum the scales.
LossBreakdown computeLoss(const std::vector<torch::Tensor>& rawOutputs, const YoloTargets& targets,
                          const YoloLossOptions& options);

}  // namespace yolo::train
