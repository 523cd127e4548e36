#include <torch/torch.h>

#include "core/train/yolo_loss.h"

#include "core/model/box_ops.h"
#include "core/model/decode.h"

namespace yolo::train {

namespace {

namespace F = torch::nn::functional;

torch::Tensor bceWithLogits(const torch::Tensor& logits, const torch::Tensor& targets) {
  return F::binary_cross_entropy_with_logits(
      logits, targets, F::BinaryCrossEntropyWithLogitsFuncOptions().reduction(torch::kNone));
}

/// Ground-truth boxes [B, M, 4] with all-zero padding rows dropped and the rest packed to
/// the front, M = the most any image has (at least 1). Keeps the ignore-rule IoU tensor
/// [B, h, w, A, M] small: the padded lists hold 100 rows per scale, mostly empty.
torch::Tensor packBoxes(const torch::Tensor& boxes) {
  const auto valid = (boxes.narrow(-1, 2, 2) > 0).all(-1);  // [B, M]
  const int64_t batch = boxes.size(0);
  const int64_t most = std::max<int64_t>(1, valid.sum(1).max().item<int64_t>());
  auto packed = torch::zeros({batch, most, 4}, boxes.options());
  for (int64_t b = 0; b < batch; ++b) {
    const auto rows = boxes[b].index({valid[b]});
    packed[b].narrow(0, 0, rows.size(0)).copy_(rows);
  }
  return packed;
}

}  // namespace

YoloLossOptions YoloLossOptions::fromSpec(const model::ModelSpec& spec) {
  YoloLossOptions options;
  options.strides = model::strides(spec.architecture);
  options.anchors = model::anchorsOf(spec);
  return options;
}

LossBreakdown computeLoss(const std::vector<torch::Tensor>& rawOutputs, const YoloTargets& targets,
                          const YoloLossOptions& options) {
  const std::size_t scales = rawOutputs.size();
  TORCH_CHECK(scales > 0, "computeLoss: no outputs");
  TORCH_CHECK(options.strides.size() == scales && options.anchors.size() == scales,
              "computeLoss: ", scales, " outputs but ", options.strides.size(), " strides and ",
              options.anchors.size(), " anchor scales");
  TORCH_CHECK(targets.labels.size() == scales && targets.bboxes.size() == scales,
              "computeLoss: ", scales, " outputs but targets for ", targets.labels.size(),
              " scales (", targets.bboxes.size(), " bboxes)");

  const auto device = rawOutputs[0].device();
  torch::Tensor allBoxes;
  if (options.ignoreWithAllBoxes) {
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> lists;
    for (const auto& b : targets.bboxes) lists.push_back(b.to(device, torch::kFloat));
    allBoxes = packBoxes(torch::cat(lists, 1));
  }

  LossBreakdown out;
  for (std::size_t s = 0; s < scales; ++s) {
    const torch::Tensor& raw = rawOutputs[s];
    const int stride = options.strides[s];
    const torch::Tensor pred = model::decode(raw, options.anchors[s], stride);  // [B,h,w,A,5+C]
    const torch::Tensor conv =
        model::reshapeRaw(raw, static_cast<int64_t>(options.anchors[s].size()));
    const torch::Tensor label = targets.labels[s].to(raw.options());
    TORCH_CHECK(label.sizes() == pred.sizes(), "computeLoss: scale ", s, " (stride ", stride,
                ") labels are ", label.sizes(), ", the output decodes to ", pred.sizes());
    const int64_t batch = pred.size(0);
    const double inputArea = static_cast<double>(pred.size(1) * stride) * (pred.size(2) * stride);

    const auto predXywh = pred.narrow(-1, 0, 4);
    const auto predConf = pred.narrow(-1, 4, 1);
    const auto rawConf = conv.narrow(-1, 4, 1);
    const auto rawProb = conv.narrow(-1, 5, conv.size(-1) - 5);
    const auto labelXywh = label.narrow(-1, 0, 4);
    const auto respond = label.narrow(-1, 4, 1);
    const auto labelProb = label.narrow(-1, 5, label.size(-1) - 5);

    const auto giou = model::boxGiouXywh(predXywh, labelXywh).unsqueeze(-1);
    const auto boxScale = 2.0 - labelXywh.narrow(-1, 2, 1) * labelXywh.narrow(-1, 3, 1) / inputArea;
    const auto giouLoss = respond * boxScale * (1.0 - giou);

    torch::Tensor background;
    {
      // The ignore mask is a constant of the loss, as tf.cast makes it in the tutorial.
      torch::NoGradGuard noGrad;
      const torch::Tensor gt = options.ignoreWithAllBoxes
                                   ? allBoxes
                                   : packBoxes(targets.bboxes[s].to(device, torch::kFloat));
      TORCH_CHECK(gt.size(0) == batch, "computeLoss: bboxes of scale ", s, " hold ", gt.size(0),
                  " images, the output ", batch);
      const auto iou = model::boxIouXywh(predXywh.detach().unsqueeze(-2),
                                         gt.view({batch, 1, 1, 1, gt.size(1), 4}));
      const auto maxIou = std::get<0>(iou.max(-1)).unsqueeze(-1);
      background = (1.0 - respond) * (maxIou < options.ignoreIouThreshold).to(raw.scalar_type());
    }
    const auto focal = (respond - predConf).pow(2);
    const auto confLoss = focal * (respond + background) * bceWithLogits(rawConf, respond);
    const auto probLoss = respond * bceWithLogits(rawProb, labelProb);

    // Sum over cells, anchors and terms of each image, then the mean over the batch.
    auto perImage = [batch](const torch::Tensor& t) {
      return t.reshape({batch, -1}).sum(1).mean();
    };
    out.giouPerScale.push_back(perImage(giouLoss));
    out.confPerScale.push_back(perImage(confLoss));
    out.probPerScale.push_back(perImage(probLoss));
  }
  out.giou = torch::stack(out.giouPerScale).sum();
  out.conf = torch::stack(out.confPerScale).sum();
  out.prob = torch::stack(out.probPerScale).sum();
  out.total = out.giou + out.conf + out.prob;
  return out;
}

}  // namespace yolo::train
