#pragma once
// Export of a YOLO network as an ONNX model (opset 11), for the runtimes people deploy with
// (ONNX Runtime, OpenCV DNN, TensorRT). Built node by node from the network's Darknet layer
// list (core/model/darknet_layers.h) with the ONNX protobuf definitions of libonnx, BatchNorm
// folded into the convs, and checked with ONNX's own model checker before it is written.
// See docs/export.md.

#include <filesystem>
#include <string>
#include <vector>

#include "core/model/yolo_net.h"

namespace yolo::model {

struct OnnxExportOptions {
  /// What the graph ends with:
  ///   raw      the head outputs, as YoloNetImpl::forward: one output per stride
  ///            "head_s<stride>" [N, 3 * (5 + C), S / stride, S / stride], ascending stride
  ///   decoded  one output "candidates" [N, K, 5 + C]: every anchor of every scale, rows
  ///            x1, y1, x2, y2 (network-input pixels), objectness, C class probabilities, as
  ///            the TorchScript export's decoded() (K = 3 * sum of the grid cells)
  ///   nms      decoded, then ONNX's NonMaxSuppression per class over score = objectness x
  ///            class probability, each box taking only its best class (as yolo-cli detect),
  ///            boxes clipped to the input: one output "detections" [M, 7], rows batch index,
  ///            x1, y1, x2, y2, score, class, at most maxDetections per class and image
  enum class Head { raw, decoded, nms };
  Head head = Head::decoded;
  /// The batch dimension named "batch" instead of fixed at 1.
  bool dynamicBatch = false;
  float scoreThreshold = 0.3f;  ///< nms only: boxes scoring below are dropped
  float iouThreshold = 0.45f;   ///< nms only: same-class boxes overlapping more are dropped
  int maxDetections = 100;      ///< nms only: per class and image
};

/// Whether this build can write ONNX (configure found libonnx and protobuf).
bool onnxExportAvailable();

/// The model as serialised ONNX bytes (ModelProto), checked with onnx::checker. Input
/// "images" [N, 3, S, S] float RGB 0..1, letterboxed as yolo-cli does (S = spec().inputSize).
/// Metadata: class_names (one per line), architecture, input_size. Throws std::runtime_error
/// when this build has no ONNX support, the architecture has no Darknet layer list, or the
/// checker refuses the graph; std::invalid_argument when classNames.size() != numClasses.
std::string buildOnnxModel(const YoloNetImpl& net, const std::vector<std::string>& classNames,
                           const OnnxExportOptions& options = {});

/// buildOnnxModel() written to `file` atomically (parent folders created).
void exportOnnx(const YoloNetImpl& net, const std::vector<std::string>& classNames,
                const std::filesystem::path& file, const OnnxExportOptions& options = {});

}  // namespace yolo::model
