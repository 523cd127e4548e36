// yolo-cli anchors: anchors fitted to a dataset's training boxes (k-means, 1 - IoU), printed
// with the mean best IoU they reach against the model's default anchors, in the form
// `train --anchors` and a Darknet cfg's `anchors=` take.

#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "core/data/anchor_fit.h"
#include "core/data/dataset_source.h"
#include "core/model/model_spec.h"

namespace yolo::cli {
namespace {

struct AnchorsCliOptions {
  std::string data;
  std::string architecture = "yolov3-tiny-3l";
  int inputSize = 416;
  int restarts = 10;
  uint64_t seed = 0;
  bool json = false;
};

void runAnchors(const AnchorsCliOptions& o) {
  const data::DatasetSplits d = data::openDatasetSplits(o.data, {0.0, 0});
  std::cerr << d.summary() << "\n";
  int unreadable = 0;
  const auto shapes = data::letterboxedBoxShapes(d.train, o.inputSize, &unreadable);
  if (unreadable > 0)
    std::cerr << "yolo-cli: warning: " << unreadable
              << " training images could not be read; their boxes are left out\n";
  if (shapes.empty())
    throw std::runtime_error(o.data + ": the training split has no boxes to fit anchors to");
  const data::ModelAnchorFit fit =
      data::fitModelAnchors(shapes, o.architecture, o.restarts, o.seed);
  const auto& fitted = fit.anchors;
  const double defaultIou = fit.defaultMeanBestIou;
  const auto defaults = model::defaultAnchors(o.architecture);
  const std::string text = data::formatAnchors(fitted);

  if (o.json) {
    nlohmann::json j{{"architecture", o.architecture}, {"input_size", o.inputSize},
                     {"boxes", shapes.size()},         {"anchors", fitted},
                     {"anchors_text", text},           {"mean_best_iou", fit.meanBestIou},
                     {"default_anchors", defaults},    {"default_mean_best_iou", defaultIou}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("%zu training boxes, letterboxed to %d px, %d anchors for %s (%d restarts)\n",
              shapes.size(), o.inputSize, static_cast<int>(data::flatten(fitted).size()),
              o.architecture.c_str(), o.restarts);
  for (std::size_t s = 0; s < fitted.size(); ++s) {
    std::printf("  stride %-3d", model::strides(o.architecture)[s]);
    for (const auto& wh : fitted[s]) std::printf("  %4.0f x %-4.0f", wh[0], wh[1]);
    std::printf("\n");
  }
  std::printf("mean best IoU: fitted %.4f, default anchors %.4f\n", fit.meanBestIou, defaultIou);
  std::printf("anchors=%s\n", text.c_str());
  std::printf("train with them: yolo-cli train --data %s --model %s --anchors '%s'\n",
              o.data.c_str(), o.architecture.c_str(), text.c_str());
}

}  // namespace

void addAnchorsCommand(CLI::App& app) {
  auto o = std::make_shared<AnchorsCliOptions>();
  auto* cmd = app.add_subcommand("anchors", commandSummary("anchors"));
  cmd->footer(
      "Examples:\n"
      "  yolo-cli anchors --data datasets/generated/mnist\n"
      "  yolo-cli anchors --data ~/labels/data.yaml --model yolov3 --input-size 608 --json\n"
      "As Darknet's calc_anchors: k-means on the training boxes' width and height after the "
      "letterbox, distance 1 - IoU, k-means++ seeding, the best of --restarts runs by mean best "
      "IoU. `yolo-cli train --anchors fit` fits them when a run starts.");
  cmd->add_option("--data", o->data, "Dataset, any format `train --data` reads")->required();
  cmd->add_option("--model", o->architecture,
                  "yolov3, yolov3-tiny or yolov3-tiny-3l (sets the number of anchors)")
      ->check(CLI::IsMember(model::architectureNames()));
  cmd->add_option("--input-size", o->inputSize, "Network input size the boxes are scaled to")
      ->check(CLI::Range(32, 4096));
  cmd->add_option("--restarts", o->restarts, "k-means runs (default 10)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--seed", o->seed, "Seed of the k-means++ starts");
  cmd->add_flag("--json", o->json, "Print the result as JSON");
  cmd->callback([o] { runAnchors(*o); });
}

}  // namespace yolo::cli
