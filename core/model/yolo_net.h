#pragma once
// What the trainer, the detector and the weights loader see of any YOLO network.

#include <memory>
#include <vector>

#include <torch/torch.h>

#include "core/model/conv_block.h"
#include "core/model/model_spec.h"

namespace yolo::model {

/// Base of YoloV3Impl and YoloV3TinyImpl.
class YoloNetImpl : public torch::nn::Module {
 public:
  explicit YoloNetImpl(ModelSpec spec);

  /// images: [B, 3, H, W] float RGB in 0..1, H and W multiples of 32 (any size, not only
  /// spec().inputSize). Returns the raw head outputs, one per scale in ascending stride order
  /// (strides()), each [B, 3 * (5 + C), H / stride, W / stride] with anchor-major channels:
  /// channel a * (5 + C) + k holds, for anchor a, k = tx, ty, tw, th, tobj, class logits...
  /// Decode with decode() (core/model/decode.h).
  virtual std::vector<torch::Tensor> forward(torch::Tensor images) = 0;

  /// Every conv in the order of Darknet's cfg, i.e. the order a Darknet .weights file stores
  /// them (75 for YOLOv3, 13 for YOLOv3-tiny, 16 for YOLOv3-tiny-3l).
  virtual std::vector<ConvBlock> convsInDarknetOrder() const = 0;

  const ModelSpec& spec() const { return spec_; }
  /// Output strides, ascending: {8, 16, 32} or (yolov3-tiny) {16, 32}.
  const std::vector<int>& strides() const { return strides_; }
  /// Anchors per scale in network-input pixels, same order as strides().
  const std::vector<ScaleAnchors>& anchors() const { return anchors_; }
  int64_t outputChannels() const { return kAnchorsPerScale * (5 + spec_.numClasses); }

 protected:
  /// Applies spec().init to every conv, then spec().outputPrior; derived constructors call
  /// it last.
  void initWeights();
  /// Sets the output convs' objectness and class biases to log(p / (1 - p)); box biases stay.
  void setOutputPrior(float probability);
  /// Checks [B, 3, H, W] with H, W multiples of 32.
  void checkInput(const torch::Tensor& images) const;

 private:
  ModelSpec spec_;
  std::vector<int> strides_;
  std::vector<ScaleAnchors> anchors_;
};

/// Darknet's [upsample] stride=2, the heads' path from a coarse map to the next finer one:
/// nearest neighbour, [B, C, H, W] -> [B, C, 2H, 2W].
torch::Tensor darknetUpsample2x(const torch::Tensor& x);

/// Builds the network `spec` describes. Throws c10::Error when validateModelSpec() fails.
std::shared_ptr<YoloNetImpl> createModel(const ModelSpec& spec);

}  // namespace yolo::model
