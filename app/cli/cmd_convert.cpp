// yolo-cli convert: a dataset from any format `train --data` reads to tutorial, YOLO
// (Ultralytics), Pascal VOC or COCO files, splits and class names kept.

#include <iostream>
#include <memory>
#include <string>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "core/data/dataset_source.h"
#include "core/data/dataset_writer.h"

namespace yolo::cli {
namespace {

struct ConvertCliOptions {
  std::string data;
  std::string to;
  std::string out;
  bool copy = false;
  double validationShare = 0;
  uint64_t seed = 0;
};

void runConvert(const ConvertCliOptions& o) {
  const data::DatasetSplits d = data::openDatasetSplits(o.data, {o.validationShare, o.seed});
  std::cerr << d.summary() << "\n";
  for (const auto& issue : d.issues)
    std::cerr << "yolo-cli: warning: skipped " << data::toString(issue) << "\n";
  data::writeDataset(d, o.to, o.out, /*linkImages=*/!o.copy);
  std::cout << "wrote " << o.to << " dataset " << o.out << " (" << d.train.size() << " train, "
            << d.validation.size() << " validation images, " << d.classNames.size()
            << " classes)\n";
}

}  // namespace

void addConvertCommand(CLI::App& app) {
  auto o = std::make_shared<ConvertCliOptions>();
  auto* cmd = app.add_subcommand("convert", commandSummary("convert"));
  cmd->footer(
      "Examples:\n"
      "  yolo-cli convert --data datasets/generated/mnist --to yolo --out digits-yolo\n"
      "  yolo-cli convert --data ~/cvat-export/annotations/instances_default.json --to voc "
      "--out voc/ --validation-share 0.1\n"
      "Formats written: tutorial (train.txt, test.txt, obj.names), yolo (Ultralytics: "
      "data.yaml, images/, labels/), voc (Annotations/, JPEGImages/, ImageSets/Main/), coco "
      "(annotations/instances_{train,val}.json). Images are hard-linked where possible, else "
      "copied.");
  cmd->add_option("--data", o->data, "Dataset to read, any format `train --data` reads")
      ->required();
  cmd->add_option("--to", o->to, "tutorial, yolo, voc or coco")
      ->required()
      ->check(CLI::IsMember(data::writableDatasetFormats()));
  cmd->add_option("--out", o->out, "Folder to create (must not exist, or be empty)")->required();
  cmd->add_flag("--copy", o->copy, "Copy the images instead of hard-linking them");
  cmd->add_option("--validation-share", o->validationShare,
                  "Without a validation split in the data, hold out this share of the images "
                  "(default 0: none)")
      ->check(CLI::Range(0.0, 0.9));
  cmd->add_option("--seed", o->seed, "Seed choosing the held-out images");
  cmd->callback([o] { runConvert(*o); });
}

}  // namespace yolo::cli
