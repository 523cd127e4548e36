#pragma once
// Non-maximum suppression of detections, per class. Pure functions on tensors, apart from
// the network and from the letterbox (torchvision ops/boxes.py is the model).

#include <torch/torch.h>

namespace yolo::infer {

/// IoU of two x1,y1,x2,y2 boxes without the VOC "+1 pixel": the tutorial's bboxes_iou, the
/// overlap NMS uses. Empty or inverted boxes have area 0; 0 when the union is empty.
float boxIou(const float* a, const float* b);

/// Hard NMS, per class: a box is dropped when a higher-scoring kept box of the *same* class
/// overlaps it with IoU > iouThreshold (strictly, as the tutorial's nms(method='nms')).
///   boxes   [N, 4] float x1, y1, x2, y2 (any units, any device)
///   scores  [N] float
///   classes [N] any integer dtype
/// Returns kept indices into the inputs, int64 [K] on the CPU, by descending score (equal
/// scores: lower index first).
torch::Tensor nmsPerClass(const torch::Tensor& boxes, const torch::Tensor& scores,
                          const torch::Tensor& classes, float iouThreshold);

/// One box per object, after per-class NMS: a box is dropped when a higher-scoring kept box,
/// of any class, covers more than `cover` of it (intersection / the box's own area). A
/// stroke of a large 7 read as a 1, the same digit read as two classes, or a second box of
/// the same class nested inside the first (which per-class NMS keeps: their IoU is the
/// small box's share of the large one) is one object; digits side by side overlap little.
/// `cover` >= 1 keeps everything. Same tensor conventions as nmsPerClass(); kept indices by
/// descending score.
torch::Tensor dropBoxesInsideBetterOnes(const torch::Tensor& boxes, const torch::Tensor& scores,
                                        float cover);

struct SoftNmsResult {
  torch::Tensor indices;  ///< int64 [K] into the inputs, CPU, by descending decayed score
  torch::Tensor scores;   ///< float [K] the decayed scores, CPU
};

/// Gaussian soft-NMS, per class (Bodla et al. 2017; the tutorial's method='soft-nms'): the
/// best remaining box of a class is kept, every other box of that class has its score
/// multiplied by exp(-iou^2 / sigma), and boxes whose decayed score falls to
/// `scoreThreshold` or below are dropped. Same tensor conventions as nmsPerClass().
SoftNmsResult softNmsPerClass(const torch::Tensor& boxes, const torch::Tensor& scores,
                              const torch::Tensor& classes, float sigma = 0.3f,
                              float scoreThreshold = 0.f);

}  // namespace yolo::infer
