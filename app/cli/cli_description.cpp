#include "app/cli/cli_description.h"

#include <stdexcept>
#include <utility>

#include "core/version.h"

namespace yolo::cli {
namespace {

// In the order the help lists them.
const std::pair<const char*, const char*> kCommands[] = {
    {"make-data",
     "Generate a synthetic MNIST detection dataset: DIR/train/*.jpg, DIR/test/*.jpg, "
     "DIR/train.txt, DIR/test.txt (lines `image x1,y1,x2,y2,class ...`), DIR/mnist.names"},
    {"train", "Train a YOLOv3 or YOLOv3-tiny detector"},
    {"detect", "Detect digits in images, folders, patterns or a video"},
    {"eval", "Measure mAP of a trained detector on an annotation file or a dataset"},
    {"convert", "Write a dataset (any format train reads) as tutorial, YOLO, VOC or COCO files"},
    {"anchors",
     "Fit anchors to a dataset's boxes (k-means, 1 - IoU) and compare them with the defaults"},
    {"export", "Export a trained model for deployment"},
};

}  // namespace

void describeCli(CLI::App& app) {
  app.description(
      "YOLO Workbench command line: make digit-detection data, train YOLOv3 "
      "detectors, detect, evaluate and export.\n"
      "Exit status: 0 success, 1 error (the message names the file and problem), "
      "2 usage error, 130 interrupted.");
  app.name("yolo-cli");
  app.set_version_flag("--version", std::string("yolo-cli ") + yolo::kVersion);
  app.require_subcommand(1);
}

std::string commandSummary(const std::string& name) {
  for (const auto& [command, summary] : kCommands)
    if (name == command) return summary;
  throw std::logic_error("no summary for yolo-cli command " + name);
}

void addCommandSummaries(CLI::App& app) {
  for (const auto& [command, summary] : kCommands) app.add_subcommand(command, summary);
}

bool isCommand(const std::string& name, std::string* known) {
  bool found = false;
  if (known) known->clear();
  for (const auto& [command, summary] : kCommands) {
    found = found || name == command;
    if (known) *known += (known->empty() ? "" : ", ") + std::string(command);
  }
  return found;
}

}  // namespace yolo::cli
