#pragma once
// How many images a run trains on, read the way the trainer reads them, so a plan drawn
// before Start (steps an epoch, the learning-rate schedule) is the plan the run follows.
// Torch-free.

#include <cstddef>

#include "core/run/run_config.h"

namespace yolo::run {

/// The training images of `config`: its dataset's training split (after the validation
/// share is held out), or the usable lines of its training annotation file checked against
/// its class names. Throws std::runtime_error naming the file when they cannot be read.
std::size_t countTrainingImages(const RunConfig& config);

}  // namespace yolo::run
