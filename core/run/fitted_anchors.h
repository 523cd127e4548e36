#pragma once
// A run's anchors fitted to its own training boxes before it starts (`train --anchors fit`):
// the fitted anchors go into the config, so config.json, resume, the checkpoint and the
// Darknet export all carry them.

#include "core/run/run_config.h"

namespace yolo::run {

struct FittedAnchorsReport {
  int boxes = 0;                   ///< training boxes fitted to
  double meanBestIou = 0;          ///< of the fitted anchors
  double previousMeanBestIou = 0;  ///< of the anchors the config held before
};

/// Fits config.model.architecture's number of anchors to the training split of the config's
/// dataset (RunConfig::dataset, else the train annotation file) at config.model.inputSize and
/// stores them in config.model.anchors. Throws std::runtime_error naming the dataset when it
/// cannot be read or has too few distinct box sizes.
FittedAnchorsReport fitAnchorsToTrainingData(RunConfig& config);

}  // namespace yolo::run
