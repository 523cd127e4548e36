#pragma once
// Checkpoint files: weights (+ optimizer state for resuming) and a JSON header with the
// run's config, class names and position, so a checkpoint alone can rebuild its model.

#include <filesystem>

#include <torch/torch.h>

#include "core/run/checkpoint_header.h"

namespace yolo::run {

/// Writes `path` atomically. `optimizer` may be null (weights-only, e.g. best.pt).
/// With `averaged` (the run's weight average), the file's "model" weights are the average,
/// which is what detection and evaluation load, and `model` is kept as "live_model" for
/// resuming training.
void saveCheckpoint(const std::filesystem::path& path, const CheckpointHeader& header,
                    torch::nn::Module& model, torch::optim::Optimizer* optimizer,
                    torch::nn::Module* averaged = nullptr);

/// Reads only the header; throws std::runtime_error naming the file when it is not a
/// checkpoint of ours, is truncated, or is from a newer format.
CheckpointHeader readCheckpointHeader(const std::filesystem::path& path);

/// Loads weights (and optimizer state when `optimizer` is given and the file has it) into
/// objects built from the same config. Without `averaged`, `model` gets the file's "model"
/// weights (the ones to detect with). With `averaged`, that goes to `averaged` and `model`
/// gets "live_model" (the weights training continues from; "model" when the file has none).
/// Throws std::runtime_error naming the file and the first parameter that is missing or has
/// the wrong shape; the modules are untouched then.
CheckpointHeader loadCheckpoint(const std::filesystem::path& path, torch::nn::Module& model,
                                torch::optim::Optimizer* optimizer,
                                torch::nn::Module* averaged = nullptr);

/// best.pt, else last.pt of a run folder; or `path` itself when it is a file.
std::filesystem::path resolveCheckpoint(const std::filesystem::path& path);

}  // namespace yolo::run
