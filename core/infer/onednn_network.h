#pragma once
// A YOLO network for batch-1 CPU inference run directly on oneDNN primitives, built once
// from a trained network's weights. Why: libtorch 1.13 reorders every activation into
// oneDNN's blocked layout and back around each convolution and runs LeakyReLU as a pass of
// its own. Here activations stay blocked from the first conv to the heads, LeakyReLU and
// the residual add are post-ops of the conv that precedes them, and weights are reordered
// once. The 3x3 stride-1 convs, most of the work, can run as Winograd convolutions
// (core/infer/winograd_conv.h) on the same blocked activations: 1.3x to 1.6x faster networks
// where oneDNN runs AVX2 kernels, slower than its AVX-512 ones, for 4x the memory of those
// weights (YOLOv3: about 0.8 GB more, tiny 0.13 GB); the Detector chooses (DetectorUse). Layers
// follow Darknet's cfg (core/model/darknet_layers.h), as OpenCV's Darknet importer does.

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "core/model/yolo_net.h"

namespace yolo::infer {

/// Whether the Detector runs this engine: this build has it (configure found oneDNN 2.x,
/// headers and the very library libtorch links) and YOLO_ONEDNN_NETWORK is not "0" (read
/// once; the engine itself still works then, the Detector just does not use it).
bool oneDnnNetworkAvailable();

class OneDnnNetwork {
 public:
  /// Copies `net`'s weights, BatchNorm folded in (eval-mode statistics; a net already folded
  /// by model::foldBatchNorm works too), for inputs of net.spec().inputSize. `net` may be
  /// discarded afterwards. Throws std::runtime_error when this build has no engine or the
  /// architecture has no Darknet layer list. `winograd`: run the 3x3 stride-1 convs as
  /// WinogradConv3x3 where this CPU can (core/infer/winograd_conv.h), else all on oneDNN's
  /// direct convolutions.
  explicit OneDnnNetwork(const model::YoloNetImpl& net, bool winograd = true);
  ~OneDnnNetwork();
  OneDnnNetwork(const OneDnnNetwork&) = delete;
  OneDnnNetwork& operator=(const OneDnnNetwork&) = delete;

  /// input: [1, 3, S, S] contiguous float32 on the CPU, S = the net's input size. Returns
  /// what YoloNetImpl::forward returns in eval mode (ascending stride, [1, 3 * (5 + C), S /
  /// stride, S / stride]), equal up to float rounding. The returned tensors are this object's
  /// buffers: the next forward() overwrites them. Uses libtorch's thread count (OpenMP).
  std::vector<torch::Tensor> forward(const torch::Tensor& input);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yolo::infer
