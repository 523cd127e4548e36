#pragma once
// The JSON header of a checkpoint: the run's config, class names and position, so a
// checkpoint alone can rebuild its model and resume. Torch-free: the header is text inside
// the checkpoint's archive (core/run/checkpoint.h reads and writes the archive).

#include <cstdint>
#include <string>
#include <vector>

#include "core/run/run_config.h"

namespace yolo::run {

/// Where a run stood when a checkpoint was written.
struct CheckpointState {
  int64_t step = 0;         ///< optimizer steps done
  int epoch = 0;            ///< 0-based epoch the next step belongs to
  int64_t stepInEpoch = 0;  ///< batches of that epoch already done
  double bestMetric = 0;    ///< best value of config.checkpoints.bestBy so far
  bool hasBest = false;
  int64_t badStepsInRow = 0;
};

/// The JSON header of a checkpoint.
struct CheckpointHeader {
  int formatVersion = 1;
  RunConfig config;
  std::vector<std::string> classNames;
  CheckpointState state;
};

std::string checkpointHeaderToText(const CheckpointHeader& header);

/// Throws std::exception saying what is wrong (not JSON, a missing or mistyped field, a
/// format newer than this program's); the caller names the file.
CheckpointHeader checkpointHeaderFromText(const std::string& text);

}  // namespace yolo::run
