#pragma once
// Inference-only rewrites of a YOLO network: BatchNorm folded into the convolutions, weights
// in channels-last memory format. Applied to a network built for detection (the Detector's
// own copy, an export), never to one being trained.

#include "core/model/yolo_net.h"

namespace yolo::model {

/// A conv with its BatchNorm folded in: weight [out, in, k, k] and bias [out], float.
struct FoldedConv {
  torch::Tensor weight;
  torch::Tensor bias;
};

/// The folded weights of one block, computed without changing it (the block's conv bias,
/// or zeros, when it has no BatchNorm). Eval-mode semantics: running statistics.
FoldedConv foldedConv(const ConvBlockImpl& block);

/// Folds every ConvBlock's BatchNorm (running statistics, eval-mode semantics) into its conv:
///   w' = w * gamma / sqrt(var + eps),  b' = beta - mean * gamma / sqrt(var + eps)
/// and detaches the BatchNorm from the block's forward (ConvBlockImpl::bn becomes null; the
/// BatchNorm module stays registered, with its old values, so state_dict() still lists it).
/// After this, forward() in eval mode gives the same outputs up to float rounding (about
/// 1e-5 relative), with one elementwise pass less per conv. Train-mode forward is then
/// wrong: a folded network is for inference only and must not be saved as a checkpoint.
/// Returns the number of BatchNorms folded (0 on a second call).
int foldBatchNorm(YoloNetImpl& net);

/// Stores every conv weight in channels-last (NHWC) memory format. With a channels-last
/// input, oneDNN's convolutions then run without reordering activations (measured: about
/// 20% less time for YOLOv3-tiny at 416 on 2 threads). Values are unchanged.
void convertToChannelsLast(YoloNetImpl& net);

}  // namespace yolo::model
