// yolo-cli export: a trained model as a TorchScript module (decoding, optionally NMS,
// included) or as Darknet .cfg/.weights/.names for Darknet and OpenCV DNN.

#include <torch/torch.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "core/data/annotation_file.h"
#include "core/model/darknet_io.h"
#include "core/model/torchscript_export.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint_model.h"
#include "core/util/class_names.h"

namespace yolo::cli {
namespace fs = std::filesystem;

namespace {

struct ExportCliOptions {
  std::string model;
  std::string format;
  std::string out;
  std::string name;
  bool withNms = false;
  float score = 0.3f;
  float iou = 0.45f;
  int maxDetections = 100;
};

void runExport(const ExportCliOptions& o) {
  if (o.withNms && o.format != "torchscript") {
    std::cerr << "yolo-cli: error: --with-nms applies to --format torchscript only\n";
    throw ExitCode{Status::kUsage};
  }
  const run::CheckpointModel loaded = run::loadCheckpointModel(o.model);
  model::YoloNetImpl& net = *loaded.net;
  const model::ModelSpec& spec = net.spec();
  const std::vector<std::string>& names = loaded.classNames;
  const std::string name = o.name.empty() ? spec.architecture : o.name;
  const fs::path dir = o.out;

  if (o.format == "darknet") {
    model::saveDarknet(net, names, dir, name);
    std::cout << "wrote " << (dir / (name + ".cfg")).string() << ", "
              << (dir / (name + ".weights")).string() << ", " << (dir / (name + ".names")).string()
              << "\n";
    return;
  }
  model::TorchScriptExportOptions options;
  options.withNms = o.withNms;
  options.scoreThreshold = o.score;
  options.iouThreshold = o.iou;
  options.maxDetections = o.maxDetections;
  const fs::path target = dir / (name + ".pt");
  model::exportTorchScript(net, names, target, options);
  writeClassNames(dir / (name + ".names"), names);
  std::cout << "wrote " << target.string() << " (" << spec.architecture << ", input "
            << spec.inputSize << "x" << spec.inputSize << ", " << spec.numClasses << " classes, "
            << (o.withNms ? "decoding + NMS: [K, 6] x1 y1 x2 y2 score class"
                          : "decoding: [N, 5 + C] x1 y1 x2 y2 objectness class probabilities")
            << ") and " << (dir / (name + ".names")).string() << "\n";
}

}  // namespace

void addExportCommand(CLI::App& app) {
  auto o = std::make_shared<ExportCliOptions>();
  auto* cmd = app.add_subcommand("export", commandSummary("export"));
  cmd->footer(
      "Examples:\n"
      "  yolo-cli export --model runs/fast --format torchscript --out deploy/ --with-nms\n"
      "  yolo-cli export --model runs/fast/best.pt --format darknet --out darknet/\n"
      "torchscript writes DIR/<name>.pt (input [1,3,S,S] float RGB 0..1; see docs/export.md) "
      "and DIR/<name>.names; darknet writes DIR/<name>.cfg, .weights and .names, which "
      "Darknet and OpenCV's readNetFromDarknet read.");
  cmd->add_option("--model", o->model, "Run folder (best.pt, else last.pt) or checkpoint file")
      ->required();
  cmd->add_option("--format", o->format, "torchscript or darknet")
      ->required()
      ->check(CLI::IsMember({"torchscript", "darknet"}));
  cmd->add_option("--out", o->out, "Output folder (created)")->required();
  cmd->add_option("--name", o->name, "Base name of the files (default: the architecture)");
  cmd->add_flag("--with-nms", o->withNms,
                "TorchScript forward ends with score filter + per-class NMS: [K, 6] boxes");
  cmd->add_option("--score", o->score, "--with-nms score threshold (default 0.3)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--iou", o->iou, "--with-nms IoU threshold (default 0.45)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-det", o->maxDetections, "--with-nms detection cap (default 100)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([o] { runExport(*o); });
}

}  // namespace yolo::cli
