// yolo-cli make-data: placeholder until the generator lands.
#include "app/cli/commands.h"

#include <stdexcept>

namespace yolo::cli {

void addMakeDataCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("make-data", "Generate a synthetic MNIST detection dataset");
  cmd->callback([] { throw std::runtime_error("make-data: not available in this build yet"); });
}

}  // namespace yolo::cli
