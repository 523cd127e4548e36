#include "core/run/checkpoint_model.h"

#include <stdexcept>

namespace yolo::run {

CheckpointModel loadCheckpointModel(const std::filesystem::path& modelPath) {
  CheckpointModel m;
  m.file = resolveCheckpoint(modelPath);
  m.header = readCheckpointHeader(m.file);
  const model::ModelSpec& spec = m.header.config.model;
  if (const std::string problem = model::validateModelSpec(spec); !problem.empty())
    throw std::runtime_error(m.file.string() + ": model in checkpoint header: " + problem);
  m.net = model::createModel(spec);
  loadCheckpoint(m.file, *m.net, /*optimizer=*/nullptr);
  m.net->eval();

  m.classNames = m.header.classNames;
  for (int c = static_cast<int>(m.classNames.size()); c < spec.numClasses; ++c)
    m.classNames.push_back(std::to_string(c));
  m.classNames.resize(static_cast<size_t>(spec.numClasses));
  return m;
}

}  // namespace yolo::run
