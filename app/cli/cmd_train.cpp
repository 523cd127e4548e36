// yolo-cli train: placeholder until the trainer lands.
#include "app/cli/commands.h"

#include <stdexcept>

namespace yolo::cli {

void addTrainCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("train", "Train a YOLOv3 or YOLOv3-tiny detector");
  cmd->callback([] { throw std::runtime_error("train: not available in this build yet"); });
}

}  // namespace yolo::cli
