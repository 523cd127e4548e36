#pragma once
// One optimisation step and one loss evaluation on a prepared batch: the glue between
// the batch loader, the YOLO targets, the network and the loss.

#include <functional>
#include <optional>

#include <torch/torch.h>

#include "core/data/batch_loader.h"
#include "core/model/yolo_net.h"
#include "core/run/run_config.h"
#include "core/train/training_events.h"

namespace yolo::train {

using BatchLoaderCollate = data::BatchLoader::Collate;

/// A collate step that builds the YOLO labels of every image of a batch on the loader's
/// worker threads, storing them in Batch::extra (labels per scale, then bboxes per scale).
BatchLoaderCollate makeTargetCollate(const model::YoloNetImpl& net, const run::RunConfig& config);

/// Forward, loss, backward and an optimizer step. Returns nothing, and leaves the weights
/// untouched, when the loss or any gradient is not finite. `checkedLoss`, when given, maps
/// the loss to the value the finiteness check sees (TrainingObserver::checkedLoss).
std::optional<LossValues> trainStep(model::YoloNetImpl& net, torch::optim::Optimizer& optimizer,
                                    const data::Batch& batch, const run::RunConfig& config,
                                    torch::Device device,
                                    const std::function<double(double)>& checkedLoss = {});

/// The loss of a batch without gradients (validation).
LossValues evaluateLoss(model::YoloNetImpl& net, const data::Batch& batch,
                        const run::RunConfig& config, torch::Device device);

/// The loss of raw network outputs (eval mode, any grad mode) against per-image ground
/// truth ([N,5] x1,y1,x2,y2,class in network-input pixels): validation from a forward pass
/// made for something else (the mAP evaluation).
LossValues lossOfOutputs(const model::YoloNetImpl& net, const std::vector<torch::Tensor>& raw,
                         const std::vector<torch::Tensor>& groundTruth,
                         const run::RunConfig& config);

/// sum += weight * v, component by component.
void accumulate(LossValues& sum, const LossValues& v, double weight);
void scale(LossValues& values, double factor);

}  // namespace yolo::train
