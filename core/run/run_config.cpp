#include "core/run/run_config.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <stdexcept>

#include "core/run/mixed_precision.h"
#include "core/util/atomic_file.h"
#include "core/util/json_numbers.h"

namespace yolo::run {
namespace fs = std::filesystem;

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(CheckpointPolicy, everyEpochs, everySteps, bestBy)

void to_json(nlohmann::json& j, const RunConfig& c) {
  j = nlohmann::json{{"preset", c.preset},
                     {"model", c.model},
                     {"pretrained_weights", c.pretrainedWeights},
                     {"freeze_backbone_epochs", c.freezeBackboneEpochs},
                     {"dataset", c.dataset},
                     {"validation_share", c.validationShare},
                     {"classes_file", c.classesFile},
                     {"train_annotations", c.trainAnnotations},
                     {"test_annotations", c.testAnnotations},
                     {"batch_size", c.batchSize},
                     {"epochs", c.epochs},
                     {"max_steps", c.maxSteps},
                     {"lr_init", c.lrInit},
                     {"lr_end", c.lrEnd},
                     {"warmup_epochs", c.warmupEpochs},
                     {"weight_decay", c.weightDecay},
                     {"ema_decay", c.emaDecay},
                     {"anchor_iou_threshold", c.anchorIouThreshold},
                     {"ignore_iou_threshold", c.ignoreIouThreshold},
                     {"ignore_with_all_boxes", c.ignoreWithAllBoxes},
                     {"max_boxes_per_scale", c.maxBoxesPerScale},
                     {"augment", c.augment},
                     {"checkpoints", c.checkpoints},
                     {"eval_every_epochs", c.evalEveryEpochs},
                     {"device", c.device},
                     {"precision", c.precision},
                     {"threads", c.threads},
                     {"data_workers", c.dataWorkers},
                     {"seed", c.seed},
                     {"max_bad_steps_in_row", c.maxBadStepsInRow}};
}

void from_json(const nlohmann::json& j, RunConfig& c) {
  // Missing keys keep their defaults, so configs written by older versions still load.
  const RunConfig d;
  c.preset = j.value("preset", d.preset);
  c.model = j.value("model", d.model);
  c.pretrainedWeights = j.value("pretrained_weights", d.pretrainedWeights);
  c.freezeBackboneEpochs = j.value("freeze_backbone_epochs", d.freezeBackboneEpochs);
  c.dataset = j.value("dataset", d.dataset);
  c.validationShare = j.value("validation_share", d.validationShare);
  c.classesFile = j.value("classes_file", d.classesFile);
  c.trainAnnotations = j.value("train_annotations", d.trainAnnotations);
  c.testAnnotations = j.value("test_annotations", d.testAnnotations);
  c.batchSize = j.value("batch_size", d.batchSize);
  c.epochs = j.value("epochs", d.epochs);
  c.maxSteps = j.value("max_steps", d.maxSteps);
  c.lrInit = j.value("lr_init", d.lrInit);
  c.lrEnd = j.value("lr_end", d.lrEnd);
  c.warmupEpochs = j.value("warmup_epochs", d.warmupEpochs);
  c.weightDecay = j.value("weight_decay", d.weightDecay);
  c.emaDecay = j.value("ema_decay", d.emaDecay);
  c.anchorIouThreshold = j.value("anchor_iou_threshold", d.anchorIouThreshold);
  c.ignoreIouThreshold = j.value("ignore_iou_threshold", d.ignoreIouThreshold);
  c.ignoreWithAllBoxes = j.value("ignore_with_all_boxes", d.ignoreWithAllBoxes);
  c.maxBoxesPerScale = j.value("max_boxes_per_scale", d.maxBoxesPerScale);
  c.augment = j.value("augment", d.augment);
  c.checkpoints = j.value("checkpoints", d.checkpoints);
  c.evalEveryEpochs = j.value("eval_every_epochs", d.evalEveryEpochs);
  c.device = j.value("device", d.device);
  c.precision = j.value("precision", d.precision);
  c.threads = j.value("threads", d.threads);
  c.dataWorkers = j.value("data_workers", d.dataWorkers);
  c.seed = j.value("seed", d.seed);
  c.maxBadStepsInRow = j.value("max_bad_steps_in_row", d.maxBadStepsInRow);
}

void applySetting(RunConfig& config, const std::string& keyEqualsValue) {
  const std::size_t eq = keyEqualsValue.find('=');
  if (eq == std::string::npos || eq == 0)
    throw std::invalid_argument("setting '" + keyEqualsValue + "' is not key=value");
  const std::string key = keyEqualsValue.substr(0, eq);
  const std::string text = keyEqualsValue.substr(eq + 1);
  nlohmann::json value =
      nlohmann::json::parse(text, keepFloatsInIntRange, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;

  nlohmann::json j = config;
  nlohmann::json* node = &j;
  std::size_t from = 0;
  while (true) {
    const std::size_t dot = key.find('.', from);
    const std::string part = key.substr(from, dot == std::string::npos ? dot : dot - from);
    if (!node->is_object() || !node->contains(part))
      throw std::invalid_argument("unknown setting '" + key + "' (config.json has no '" + part +
                                  "' there)");
    node = &(*node)[part];
    if (dot == std::string::npos) break;
    from = dot + 1;
  }
  const bool sameKind = (node->is_number() && value.is_number()) || node->type() == value.type() ||
                        (node->is_array() && value.is_array());
  if (!sameKind)
    throw std::invalid_argument("setting '" + key + "' takes a " + std::string(node->type_name()) +
                                ", got '" + text + "'");
  *node = value;
  config = j.get<RunConfig>();
}

int mapEvaluationInterval(const RunConfig& c, size_t trainImages, size_t testImages) {
  if (c.evalEveryEpochs != kEvalEveryEpochsAuto) return std::max(0, c.evalEveryEpochs);
  if (testImages == 0 || trainImages == 0) return 1;
  const size_t quarterOfTrain = std::max<size_t>(1, trainImages / 4);
  return static_cast<int>((testImages + quarterOfTrain - 1) / quarterOfTrain);
}

int64_t plannedSteps(const RunConfig& c, int64_t stepsPerEpoch) {
  int64_t planned = stepsPerEpoch * c.epochs;
  if (c.maxSteps > 0) planned = std::min(planned, c.maxSteps);
  return planned;
}

std::vector<std::string> presetNames() { return {"cpu-fast", "tutorial"}; }

RunConfig preset(const std::string& name) {
  RunConfig c;
  c.preset = name;
  if (name == "tutorial") {
    // The original tutorial's settings: YOLOv3 at 416, batch 4, 100 epochs, 1e-4 -> 1e-6.
    c.model.architecture = "yolov3";
    c.model.inputSize = 416;
    c.batchSize = 4;
    c.epochs = 100;
    c.lrInit = 1e-4;
    c.lrEnd = 1e-6;
    c.warmupEpochs = 2;
    c.emaDecay = 0;
  } else if (name == "cpu-fast") {
    // A good digit detector on a laptop CPU in minutes; the numbers behind each choice
    // are in docs/training.md.
    c.model.architecture = "yolov3-tiny-3l";  // the stride-8 head finds the 14 px digits
    c.model.inputSize = 416;
    c.batchSize = 8;
    c.epochs = 4;  // of the default 4,000 training images: 2,000 steps, 25-50 minutes
    c.lrInit = 1e-3;
    c.lrEnd = 1e-5;
    c.warmupEpochs = 0.1;
    c.emaDecay = 0.995;
    c.model.init = "kaiming";
    c.model.outputPrior = 0.01f;
    c.augment.randomZoom = true;
    c.augment.strokeWidth = true;
    c.augment.photometric = true;
  } else {
    std::string known;
    for (const auto& n : presetNames()) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown preset '" + name + "' (known: " + known + ")");
  }
  c.model.anchors = model::defaultAnchors(c.model.architecture);
  return c;
}

std::vector<std::string> validate(const RunConfig& c) {
  std::vector<std::string> problems;
  if (const std::string m = model::validateModelSpec(c.model); !m.empty()) problems.push_back(m);
  auto requireFile = [&](const std::string& what, const std::string& path, bool optional) {
    if (path.empty()) {
      if (!optional) problems.push_back(what + " is not set");
    } else if (!fs::is_regular_file(path)) {
      problems.push_back(what + " '" + path + "' does not exist");
    }
  };
  if (!c.dataset.empty()) {
    if (!fs::exists(c.dataset)) problems.push_back("dataset '" + c.dataset + "' does not exist");
    if (!(c.validationShare >= 0 && c.validationShare <= 0.9))
      problems.push_back("validation share must be 0..0.9 (of the images)");
  } else {
    requireFile("classes file", c.classesFile, false);
    requireFile("training annotation file", c.trainAnnotations, false);
    requireFile("test annotation file", c.testAnnotations, true);
  }
  requireFile("pretrained weights file", c.pretrainedWeights, true);
  if (c.evalEveryEpochs < kEvalEveryEpochsAuto)
    problems.push_back("mAP evaluation must be every N >= 1 epochs, 0 (never) or -1 (auto)");
  if (c.freezeBackboneEpochs < 0)
    problems.push_back("freeze backbone epochs must be 0 or positive");
  if (!(c.augment.zoomMax >= 1.f && c.augment.zoomMax <= 16.f))
    problems.push_back("augment zoomMax must be 1..16 (1 = no zoom)");
  if (!(c.augment.robustShare >= 0.f && c.augment.robustShare <= 1.f))
    problems.push_back("augment robustShare must be 0..1 (a share of the images)");
  if (c.batchSize < 1) problems.push_back("batch size must be at least 1");
  if (c.epochs < 1) problems.push_back("epochs must be at least 1");
  if (c.maxSteps < 0) problems.push_back("max steps must be 0 (no cap) or positive");
  if (!(c.lrInit > 0) || !std::isfinite(c.lrInit)) problems.push_back("lr_init must be > 0");
  if (!(c.lrEnd >= 0) || c.lrEnd > c.lrInit) problems.push_back("lr_end must be in [0, lr_init]");
  if (c.warmupEpochs < 0 || c.warmupEpochs >= c.epochs)
    problems.push_back("warm-up epochs must be in [0, epochs)");
  if (!(c.emaDecay >= 0 && c.emaDecay < 1))
    problems.push_back("EMA decay must be 0 (off) or in (0, 1)");
  if (c.anchorIouThreshold <= 0 || c.anchorIouThreshold >= 1)
    problems.push_back("anchor IoU threshold must be in (0, 1)");
  if (c.ignoreIouThreshold <= 0 || c.ignoreIouThreshold >= 1)
    problems.push_back("ignore IoU threshold must be in (0, 1)");
  if (c.maxBoxesPerScale < 1) problems.push_back("max boxes per scale must be at least 1");
  try {
    resolvePrecision(c.precision, /*onCpu=*/true);  // the device is checked when training starts
  } catch (const std::invalid_argument& e) {
    problems.push_back(e.what());
  }
  if (c.threads < 0) problems.push_back("threads must be 0 (all cores) or positive");
  if (c.dataWorkers < 1) problems.push_back("data workers must be at least 1");
  if (c.checkpoints.bestBy != "val_loss" && c.checkpoints.bestBy != "map50")
    problems.push_back("best checkpoint metric must be 'val_loss' or 'map50'");
  // Without mAP figures best.pt would be written once and never again.
  // A dataset's validation split is known only once it is read: trusted here.
  const bool validationImages = !c.dataset.empty() || !c.testAnnotations.empty();
  if (c.checkpoints.bestBy == "map50" && (!validationImages || c.evalEveryEpochs == 0))
    problems.push_back(
        "best checkpoint by map50 needs a test annotation file and mAP evaluation (not 'never')");
  if (c.device != "auto" && c.device != "cpu" && c.device.rfind("cuda", 0) != 0)
    problems.push_back("device must be auto, cpu or cuda:N, not '" + c.device + "'");
  return problems;
}

RunConfig loadRunConfig(const fs::path& path) {
  const std::string text = readTextFile(path);
  try {
    return nlohmann::json::parse(text, keepFloatsInIntRange).get<RunConfig>();
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path.string() + ": not a valid run configuration: " + e.what());
  }
}

void saveRunConfig(const RunConfig& config, const fs::path& path) {
  writeTextAtomically(path, nlohmann::json(config).dump(2) + "\n");
}

void useDataset(RunConfig& config, const fs::path& path) {
  if (!fs::exists(path)) throw std::runtime_error("dataset '" + path.string() + "' does not exist");
  config.dataset = fs::absolute(path).lexically_normal().string();
  config.classesFile.clear();
  config.trainAnnotations.clear();
  config.testAnnotations.clear();
}

void useDataFolder(RunConfig& config, const fs::path& folder) {
  if (!fs::is_directory(folder)) {
    throw std::runtime_error("data folder '" + folder.string() + "' does not exist");
  }
  const fs::path train = folder / "train.txt";
  const fs::path test = folder / "test.txt";
  fs::path names = folder / "mnist.names";
  if (!fs::is_regular_file(names)) names = folder / "obj.names";
  if (!fs::is_regular_file(train)) {
    throw std::runtime_error("data folder '" + folder.string() +
                             "' has no train.txt (make one with `yolo-cli make-data`)");
  }
  if (!fs::is_regular_file(names)) {
    throw std::runtime_error("data folder '" + folder.string() +
                             "' has no mnist.names or obj.names");
  }
  config.trainAnnotations = fs::absolute(train).lexically_normal().string();
  config.testAnnotations =
      fs::is_regular_file(test) ? fs::absolute(test).lexically_normal().string() : "";
  config.classesFile = fs::absolute(names).lexically_normal().string();
}

}  // namespace yolo::run
