#pragma once
// Export of a YOLO network as a self-contained TorchScript module, loadable with
// torch::jit::load (C++) and torch.jit.load (Python) without this project. See docs/export.md.
//
// How: libtorch's C++ API cannot trace or script a C++ torch::nn::Module, so the export
// writes the network's forward pass as TorchScript source (Module::define) over the folded
// conv weights, registered as buffers w0, b0, ... in Darknet conv order. define() and
// register_buffer/register_attribute are public, stable API from libtorch 1.x on; no tracer
// internals are used.

#include <filesystem>
#include <string>
#include <vector>

#include <torch/script.h>
#include <torch/torch.h>

#include "core/model/yolo_net.h"

namespace yolo::model {

struct TorchScriptExportOptions {
  /// false: forward returns every decoded candidate; true: score filter + per-class NMS too.
  bool withNms = false;
  /// Defaults of the module's attributes score_threshold, iou_threshold, max_detections
  /// (used only by the NMS variant; a user may change them on the loaded module).
  double scoreThreshold = 0.3;
  double iouThreshold = 0.45;
  int64_t maxDetections = 100;
};

/// Builds the module, in eval mode, from `net`'s current weights (BatchNorm folded into the
/// convs on copies: `net` is not changed). Contract of the module (documented in
/// docs/export.md):
///   forward(x): x [1, 3, H, W] float RGB 0..1 on the CPU, H and W multiples of 32 (the
///     model's input size, spec().inputSize, is what it was trained at)
///     -> without NMS: [N, 5 + C] float, N = all anchors of all scales, rows x1, y1, x2, y2
///        (network-input pixels), objectness, C class probabilities (sigmoids)
///     -> with NMS: [K, 6] float rows x1, y1, x2, y2 (network-input pixels, clipped to the
///        input), score = objectness x best class probability, class index; by descending
///        score, K <= max_detections, only scores > score_threshold, per-class hard NMS
///        (a box is dropped when a kept box of its class overlaps it with IoU > iou_threshold)
///   network(x) -> List[Tensor]: the raw head outputs, as YoloNetImpl::forward
///   decoded(x) -> [N, 5 + C] as above (also in the NMS variant)
///   attributes: class_names (List[str]), architecture (str), input_size (int), num_classes
///   (int), with_nms (bool), score_threshold, iou_threshold (float), max_detections (int)
torch::jit::Module buildTorchScriptModule(const YoloNetImpl& net,
                                          const std::vector<std::string>& classNames,
                                          const TorchScriptExportOptions& options = {});

/// buildTorchScriptModule() written to `file` atomically (parent folders created). Throws
/// std::runtime_error naming the file when it cannot be written, std::invalid_argument when
/// classNames.size() != numClasses.
void exportTorchScript(const YoloNetImpl& net, const std::vector<std::string>& classNames,
                       const std::filesystem::path& file,
                       const TorchScriptExportOptions& options = {});

/// The generated TorchScript source (for the docs and for debugging an export).
std::string torchScriptSource(const YoloNetImpl& net, const TorchScriptExportOptions& options);

}  // namespace yolo::model
