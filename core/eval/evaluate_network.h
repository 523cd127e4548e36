#pragma once
// mAP of a network in memory, for the trainer: evaluates on the test samples every N epochs
// without writing a checkpoint first. Includes torch: never include it from a Qt header.

#include <functional>
#include <string>
#include <vector>

#include <torch/torch.h>

#include "core/data/box.h"
#include "core/eval/evaluate_model.h"
#include "core/eval/map.h"
#include "core/model/yolo_net.h"

namespace yolo::eval {

struct NetworkEvalOptions {
  float scoreThreshold = 0.05f;  ///< detections kept above this (also the operating score)
  float iouThreshold = 0.45f;    ///< per-class hard NMS overlap
  int maxDetections = 100;       ///< per image
  int batchSize = 8;             ///< images per forward pass
  /// Called after each batch with (images done, images in all); return false to stop: the
  /// result then covers the images done so far.
  std::function<bool(int done, int total)> progress;
  /// Called with each batch's raw network outputs (before decoding) and the ground truth
  /// of its images as the training data pipeline letterboxes it (per image [N,5]
  /// x1,y1,x2,y2,class in network-input pixels, data::toNetworkBoxes): the trainer takes the
  /// validation loss from the same forward pass.
  std::function<void(const std::vector<torch::Tensor>& raw,
                     const std::vector<torch::Tensor>& groundTruth)>
      onBatch;
};

/// Runs `net` (on whatever device its parameters are) over `samples` and evaluates the
/// detections against their boxes: the same letterbox, post-processing and mAP as
/// Detector + evaluate(), so the trainer's map50 is the CLI's `eval` figure. The network is
/// put in eval mode under torch::InferenceMode and its training mode restored afterwards;
/// no gradient state is touched. `classNames` only names perClass entries (may be empty).
/// Images are read from sample.image as given; one that cannot be read (missing, truncated,
/// not an image, too large to decode) is left out and named in the result's
/// unreadableImages. Throws std::runtime_error when no image can be read, and
/// std::invalid_argument for class ids outside the network's.
EvaluationResult evaluateNetwork(model::YoloNetImpl& net, const std::vector<data::Sample>& samples,
                                 const std::vector<std::string>& classNames,
                                 const NetworkEvalOptions& options = {});

/// As evaluateNetwork, with the images evaluated, their boxes and the detections kept (what
/// the error analysis judges and core/eval/saved_evaluation.h keeps in a run folder).
EvaluationReport evaluateNetworkReport(model::YoloNetImpl& net,
                                       const std::vector<data::Sample>& samples,
                                       const std::vector<std::string>& classNames,
                                       const NetworkEvalOptions& options = {});

}  // namespace yolo::eval
