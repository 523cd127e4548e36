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
#include "core/model/onnx_export.h"
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
  bool rawHeads = false;      ///< onnx: the head outputs, not decoded
  bool dynamicBatch = false;  ///< onnx: batch dimension "batch"
  float score = 0.3f;
  float iou = 0.45f;
  int maxDetections = 100;
};

void runExport(const ExportCliOptions& o) {
  if (o.withNms && o.format == "darknet") {
    std::cerr << "yolo-cli: error: --with-nms applies to --format torchscript and onnx\n";
    throw ExitCode{Status::kUsage};
  }
  if ((o.rawHeads || o.dynamicBatch) && o.format != "onnx") {
    std::cerr << "yolo-cli: error: --raw and --dynamic-batch apply to --format onnx only\n";
    throw ExitCode{Status::kUsage};
  }
  if (o.rawHeads && o.withNms) {
    std::cerr << "yolo-cli: error: --raw and --with-nms exclude each other\n";
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
  if (o.format == "onnx") {
    model::OnnxExportOptions options;
    options.head = o.rawHeads  ? model::OnnxExportOptions::Head::raw
                   : o.withNms ? model::OnnxExportOptions::Head::nms
                               : model::OnnxExportOptions::Head::decoded;
    options.dynamicBatch = o.dynamicBatch;
    options.scoreThreshold = o.score;
    options.iouThreshold = o.iou;
    options.maxDetections = o.maxDetections;
    const fs::path target = dir / (name + ".onnx");
    model::exportOnnx(net, names, target, options);
    writeClassNames(dir / (name + ".names"), names);
    const std::string batch = o.dynamicBatch ? "N" : "1";
    std::cout << "wrote " << target.string() << " (" << spec.architecture << ", opset 11, input "
              << "images [" << batch << ",3," << spec.inputSize << "," << spec.inputSize << "], "
              << (o.rawHeads  ? "outputs head_s<stride>: the raw heads"
                  : o.withNms ? "output detections [M, 7]: batch x1 y1 x2 y2 score class"
                              : "output candidates [" + batch +
                                    ", K, 5 + C]: x1 y1 x2 y2 objectness "
                                    "class probabilities")
              << ") and " << (dir / (name + ".names")).string() << "\n";
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
      "  yolo-cli export --model runs/fast --format onnx --out onnx/ --with-nms\n"
      "torchscript writes DIR/<name>.pt (input [1,3,S,S] float RGB 0..1; see docs/export.md) "
      "and DIR/<name>.names; darknet writes DIR/<name>.cfg, .weights and .names, which "
      "Darknet and OpenCV's readNetFromDarknet read; onnx writes DIR/<name>.onnx (opset 11, "
      "checked with ONNX's checker: decoded candidates, or --raw heads, or --with-nms final "
      "detections) for ONNX Runtime, OpenCV DNN and TensorRT.");
  cmd->add_option("--model", o->model, "Run folder (best.pt, else last.pt) or checkpoint file")
      ->required();
  cmd->add_option("--format", o->format, "torchscript, darknet or onnx")
      ->required()
      ->check(CLI::IsMember({"torchscript", "darknet", "onnx"}));
  cmd->add_option("--out", o->out, "Output folder (created)")->required();
  cmd->add_option("--name", o->name, "Base name of the files (default: the architecture)");
  cmd->add_flag("--with-nms", o->withNms,
                "The model ends with score filter + per-class NMS (TorchScript: [K, 6] boxes; "
                "ONNX: NonMaxSuppression, [M, 7] with the batch index first)");
  cmd->add_flag("--raw", o->rawHeads, "ONNX: the raw head outputs, one per stride, undecoded");
  cmd->add_flag("--dynamic-batch", o->dynamicBatch, "ONNX: any batch size (dimension 'batch')");
  cmd->add_option("--score", o->score, "--with-nms score threshold (default 0.3)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--iou", o->iou, "--with-nms IoU threshold (default 0.45)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-det", o->maxDetections, "--with-nms detection cap (default 100)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([o] { runExport(*o); });
}

}  // namespace yolo::cli
