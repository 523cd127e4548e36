#pragma once
// Inference-only rewrites of a YOLO network: BatchNorm folded into the convolutions, weights
// in channels-last memory format or prepacked for oneDNN. Applied to a network built for
// detection (the Detector's own copy, an export), never to one being trained.

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

/// Whether prepackForCpuInference can run here: libtorch built with oneDNN (MKLDNN), as
/// the x86 builds are, and not switched off (torch.backends.mkldnn).
bool canPrepackForCpuInference();

/// Sets every ConvBlock's packedWeight: its (folded) conv weight reordered into oneDNN's
/// blocked layout. Call after foldBatchNorm on a CPU network used only under
/// torch::InferenceMode or NoGradGuard; outputs stay equal up to float rounding. Why:
/// libtorch reorders a plain weight on every call, and with one thread runs 1x1 convs
/// through im2col + BLAS instead of oneDNN (about 10-15% of a YOLOv3-tiny forward on this
/// CPU, bench_inference). Throws std::runtime_error when !canPrepackForCpuInference(), the
/// network is not on the CPU or a block still has its BatchNorm.
void prepackForCpuInference(YoloNetImpl& net);

}  // namespace yolo::model
