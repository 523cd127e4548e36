#pragma once
// A network rebuilt from a checkpoint for inference: what `detect`, the Detector and `export`
// all start from.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"

namespace yolo::run {

struct CheckpointModel {
  std::filesystem::path file;  ///< the checkpoint read (best.pt / last.pt of a folder)
  CheckpointHeader header;
  std::shared_ptr<model::YoloNetImpl> net;  ///< on the CPU, in eval mode, "model" weights loaded
  /// header.classNames made exactly numClasses long: older checkpoints may list fewer names,
  /// and the class id stands in for a missing one.
  std::vector<std::string> classNames;
};

/// Loads a checkpoint file, or the best (else last) checkpoint of a run folder. Throws
/// std::runtime_error naming the file when it is missing, not a checkpoint, or its model
/// does not validate or does not match its weights.
CheckpointModel loadCheckpointModel(const std::filesystem::path& modelPath);

}  // namespace yolo::run
