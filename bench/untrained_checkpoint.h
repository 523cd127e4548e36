#pragma once
// A checkpoint of an untrained network, for the benchmarks that time loading and running a
// model of an architecture nobody has trained here: Kaiming weights, 10 classes, the output
// prior 0.01, so few candidates reach NMS, as with a trained model. Timing and memory of
// loading and running it are those of a trained one.

#include <filesystem>
#include <string>

#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"

namespace yolo::bench {

inline void saveUntrainedCheckpoint(const std::filesystem::path& path,
                                    const std::string& architecture, int inputSize = 416) {
  run::CheckpointHeader header;
  header.config.model = model::makeModelSpec(architecture, 10, inputSize);
  header.config.model.init = "kaiming";
  header.config.model.outputPrior = 0.01f;
  run::saveCheckpoint(path, header, *model::createModel(header.config.model), nullptr);
}

}  // namespace yolo::bench
