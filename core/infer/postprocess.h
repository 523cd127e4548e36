#pragma once
// Decoded network output -> detections in original-image pixels: letterbox undone, boxes
// clipped, scores thresholded, per-class NMS. Pure functions; the Detector and the
// evaluators share them so the GUI, the CLI and the trainer's mAP see the same boxes.

#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/infer/detector.h"
#include "core/model/yolo_net.h"
#include "core/util/letterbox.h"

namespace yolo::infer {

/// Candidates below this score (objectness x best class probability) are not kept after the
/// network run: it keeps the cached output small. Thresholds below it act as this value.
inline constexpr float kCandidateMinScore = 0.001f;

/// Raw head outputs of a batch (YoloNetImpl::forward) -> one candidate table per image:
/// [K, 5 + C] float on the CPU, rows cx, cy, w, h (network-input pixels), objectness,
/// C class probabilities, only rows whose objectness x best class probability >= minScore.
/// With `origins`, it receives one [K] int64 tensor per image: each row's index in the
/// heads' decoded outputs laid end to end, which tells its head, cell and anchor
/// (originOf(), core/infer/explain_detections.h).
std::vector<torch::Tensor> decodeCandidates(const std::vector<torch::Tensor>& rawHeads,
                                            const model::YoloNetImpl& net,
                                            float minScore = kCandidateMinScore,
                                            std::vector<torch::Tensor>* origins = nullptr);

/// Detections as tensors, by descending score.
struct DetectionTensors {
  torch::Tensor boxes;    ///< [K, 4] float x1, y1, x2, y2 in original-image pixels
  torch::Tensor scores;   ///< [K] float
  torch::Tensor classes;  ///< [K] int64
  torch::Tensor rows;     ///< [K] int64: each detection's row in the candidate table
  int64_t size() const { return scores.defined() ? scores.size(0) : 0; }
};

/// The tutorial's postprocess_boxes + nms on one image's candidates ([N, 5 + C] rows as
/// decodeCandidates() makes them, any device):
///   1. cx, cy, w, h -> x1, y1, x2, y2, mapped back through `geometry` to source pixels
///   2. clipped to [0, sourceWidth] x [0, sourceHeight] (x2, y2 are exclusive edges)
///   3. degenerate boxes dropped (empty after clipping, non-finite), and boxes whose scale
///      sqrt(w * h) is not inside (minBoxScale, maxBoxScale)
///   4. score = objectness x best class probability, kept when > scoreThreshold
///   5. per-class hard NMS (IoU > iouThreshold suppresses) or Gaussian soft-NMS (decayed
///      scores re-thresholded at scoreThreshold)
///   6. with insideCover < 1, boxes covered by a better box (of any class) dropped
///   7. at most maxDetections (<= 0: no cap), the best first
DetectionTensors postprocess(const torch::Tensor& candidates, const LetterboxGeometry& geometry,
                             int sourceWidth, int sourceHeight, const DetectOptions& options);

/// Tensors -> Detection records; class names from `classNames` (the id as text when the list
/// is short).
std::vector<Detection> toDetections(const DetectionTensors& detections,
                                    const std::vector<std::string>& classNames);

/// [B, 3, S, S] float RGB 0..1, contiguous, from `images` of 8-bit letterboxed RGB S x S
/// (letterboxRgb's output), on `device`. One conversion copy per image, on the device.
torch::Tensor toInputTensor(const std::vector<cv::Mat>& rgbImages, const torch::Device& device);

}  // namespace yolo::infer
