#include "core/train/training_step.h"

#include <cmath>
#include <mutex>

#include "core/data/yolo_targets.h"
#include "core/model/cpu_autocast.h"
#include "core/run/mixed_precision.h"
#include "core/train/yolo_loss.h"
#include "core/util/process_environment.h"

namespace yolo::train {
namespace {

YoloLossOptions lossOptionsOf(const model::YoloNetImpl& net, const run::RunConfig& config) {
  YoloLossOptions o = YoloLossOptions::fromSpec(net.spec());
  o.ignoreIouThreshold = static_cast<float>(config.ignoreIouThreshold);
  o.ignoreWithAllBoxes = config.ignoreWithAllBoxes;
  return o;
}

TargetOptions targetOptionsOf(const model::YoloNetImpl& net, const run::RunConfig& config) {
  TargetOptions options = TargetOptions::fromSpec(net.spec());
  options.anchorIouThreshold = static_cast<float>(config.anchorIouThreshold);
  options.maxBoxesPerScale = config.maxBoxesPerScale;
  return options;
}

YoloTargets targetsOf(const data::Batch& batch, torch::Device device) {
  // Batch::extra holds labels per scale, then bboxes per scale (see makeTargetCollate).
  YoloTargets t;
  const std::size_t scales = batch.extra.size() / 2;
  for (std::size_t s = 0; s < scales; ++s) t.labels.push_back(batch.extra[s].to(device));
  for (std::size_t s = 0; s < scales; ++s) t.bboxes.push_back(batch.extra[scales + s].to(device));
  return t;
}

// The training forward pass in the run's precision; the outputs are float32 either way, so
// the loss (exp, logs, GIoU) is computed in float32.
std::vector<torch::Tensor> trainingForward(model::YoloNetImpl& net, const torch::Tensor& images,
                                           const run::RunConfig& config, torch::Device device) {
  if (run::resolvePrecision(config.precision, device.is_cpu()) != "bf16")
    return net.forward(images);
  std::vector<torch::Tensor> raw;
  {
    model::CpuBf16Autocast autocast;
    raw = net.forward(images);
  }
  for (auto& r : raw) r = r.to(torch::kFloat);
  return raw;
}

double item(const torch::Tensor& t) { return t.defined() ? t.item<double>() : 0.0; }

LossValues valuesOf(const LossBreakdown& loss) {
  LossValues v;
  v.total = item(loss.total);
  v.giou = item(loss.giou);
  v.conf = item(loss.conf);
  v.prob = item(loss.prob);
  for (const auto& t : loss.giouPerScale) v.giouPerScale.push_back(item(t));
  for (const auto& t : loss.confPerScale) v.confPerScale.push_back(item(t));
  for (const auto& t : loss.probPerScale) v.probPerScale.push_back(item(t));
  return v;
}

bool allGradientsFinite(model::YoloNetImpl& net) {
  // One reduction over all gradients instead of a sync per tensor. A NaN or an infinity in a
  // gradient makes its plain sum NaN or infinite too, so no abs() copy of each is needed.
  std::vector<torch::Tensor> sums;
  for (const auto& p : net.parameters()) {
    if (p.grad().defined()) sums.push_back(p.grad().sum());
  }
  if (sums.empty()) return true;
  return torch::stack(sums).isfinite().all().item<bool>();
}

// optimizer.zero_grad() in libtorch 1.13 fills every gradient with zeros, and backward then
// adds into them. Dropping them instead (PyTorch's set_to_none) lets backward write fresh ones
// without the fill. Adam skips a parameter without a gradient where it would otherwise decay
// its moments with a zero one, but every parameter of a YOLO net gets a gradient every step.
void dropGradients(torch::optim::Optimizer& optimizer) {
  for (auto& group : optimizer.param_groups()) {
    for (auto& p : group.params()) p.mutable_grad() = torch::Tensor();
  }
}

}  // namespace

BatchLoaderCollate makeTargetCollate(const model::YoloNetImpl& net, const run::RunConfig& config) {
  return [options = targetOptionsOf(net, config)](data::Batch& batch) {
    std::vector<ImageTargets> perImage;
    perImage.reserve(batch.boxes.size());
    for (const auto& boxes : batch.boxes) perImage.push_back(buildTargets(boxes, options));
    YoloTargets targets = stackTargets(perImage);
    batch.extra = targets.labels;
    batch.extra.insert(batch.extra.end(), targets.bboxes.begin(), targets.bboxes.end());
  };
}

std::optional<LossValues> trainStep(model::YoloNetImpl& net, torch::optim::Optimizer& optimizer,
                                    const data::Batch& batch, const run::RunConfig& config,
                                    torch::Device device,
                                    const std::function<double(double)>& checkedLoss) {
  keepLargeAllocationsInOneHeap();  // for library users; main() has called it already
  dropGradients(optimizer);
  const auto raw = trainingForward(net, batch.images.to(device), config, device);
  LossBreakdown loss = computeLoss(raw, targetsOf(batch, device), lossOptionsOf(net, config));
  double total = loss.total.item<double>();
  if (checkedLoss) total = checkedLoss(total);
  if (!std::isfinite(total)) {
    dropGradients(optimizer);
    return std::nullopt;
  }
  loss.total.backward();
  if (!allGradientsFinite(net)) {
    dropGradients(optimizer);
    return std::nullopt;
  }
  optimizer.step();
  return valuesOf(loss);
}

LossValues evaluateLoss(model::YoloNetImpl& net, const data::Batch& batch,
                        const run::RunConfig& config, torch::Device device) {
  torch::NoGradGuard noGrad;
  const auto raw = net.forward(batch.images.to(device));
  return valuesOf(computeLoss(raw, targetsOf(batch, device), lossOptionsOf(net, config)));
}

LossValues lossOfOutputs(const model::YoloNetImpl& net, const std::vector<torch::Tensor>& raw,
                         const std::vector<torch::Tensor>& groundTruth,
                         const run::RunConfig& config) {
  TORCH_CHECK(!raw.empty(), "lossOfOutputs: no network outputs");
  const TargetOptions options = targetOptionsOf(net, config);
  std::vector<ImageTargets> perImage;
  perImage.reserve(groundTruth.size());
  for (const auto& boxes : groundTruth) perImage.push_back(buildTargets(boxes, options));
  YoloTargets targets = stackTargets(perImage);
  const torch::Device device = raw.front().device();
  for (auto& t : targets.labels) t = t.to(device);
  for (auto& t : targets.bboxes) t = t.to(device);
  return valuesOf(computeLoss(raw, targets, lossOptionsOf(net, config)));
}

void accumulate(LossValues& sum, const LossValues& v, double weight) {
  sum.total += weight * v.total;
  sum.giou += weight * v.giou;
  sum.conf += weight * v.conf;
  sum.prob += weight * v.prob;
  auto add = [weight](std::vector<double>& into, const std::vector<double>& from) {
    if (into.size() < from.size()) into.resize(from.size(), 0.0);
    for (std::size_t i = 0; i < from.size(); ++i) into[i] += weight * from[i];
  };
  add(sum.giouPerScale, v.giouPerScale);
  add(sum.confPerScale, v.confPerScale);
  add(sum.probPerScale, v.probPerScale);
}

void scale(LossValues& values, double factor) {
  LossValues scaled;
  accumulate(scaled, values, factor);
  values = scaled;
}

}  // namespace yolo::train
