#pragma once
// The configuration of one training run: every setting of the tutorial in one struct with
// defaults, saved as config.json beside the run's checkpoints. Torch-free: the GUI edits it.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/data/augment_switches.h"
#include "core/model/model_spec.h"

namespace yolo::run {

/// Data augmentation switches: the data loader's own struct, so config and loader never drift.
using AugmentationConfig = data::AugmentSwitches;

/// When checkpoints are written and which one counts as "best".
struct CheckpointPolicy {
  int everyEpochs = 1;              ///< last.pt after every N epochs (and on stop/finish)
  int everySteps = 0;               ///< also every N steps (0 = off); bounds work lost to a kill
  std::string bestBy = "val_loss";  ///< "val_loss" or "map50"
};

/// RunConfig::evalEveryEpochs value for "choose from the data set sizes".
inline constexpr int kEvalEveryEpochsAuto = -1;

struct RunConfig {
  std::string preset = "custom";  ///< the preset this config started from (informative)
  model::ModelSpec model;         ///< architecture, classes, input size, anchors, init
  /// Darknet .weights a new run starts from (empty = none; ignored on resume). Convs whose
  /// shape differs (the output convs, for another class count) keep their fresh init.
  std::string pretrainedWeights;
  int freezeBackboneEpochs = 0;  ///< backbone convs not trained for the first N epochs

  /// A dataset in any format core/data/dataset_source.h reads (a folder, data.yaml, obj.data,
  /// a COCO JSON or an annotation file). When set it gives the training and validation
  /// images and the class names, and the three files below are not used.
  std::string dataset;
  /// Share of the images held out for validation (by image, from `seed`) when `dataset` has
  /// no validation split: the same images every time, so a resumed run and `eval` see the
  /// same split.
  double validationShare = 0.1;
  std::string classesFile;       ///< names file, one class per line (mnist.names)
  std::string trainAnnotations;  ///< annotation file, `path x1,y1,x2,y2,class ...` per line
  std::string testAnnotations;   ///< validation annotation file (may be empty)

  int batchSize = 4;
  int epochs = 100;
  int64_t maxSteps = 0;  ///< stop after this many steps in all (0 = no cap)
  double lrInit = 1e-4;
  double lrEnd = 1e-6;
  double warmupEpochs = 2;
  double weightDecay = 0;
  /// Decay of the exponential moving average of the weights that validation, mAP and the
  /// saved "model" weights use (0 = off: the live weights, as the original tutorial).
  double emaDecay = 0.999;

  double anchorIouThreshold = 0.3;  ///< label assignment: anchor responsible above this IoU
  double ignoreIouThreshold = 0.5;  ///< background anchors above this IoU are not penalised
  bool ignoreWithAllBoxes = true;   ///< compare with all GT boxes (false: same scale only)
  int maxBoxesPerScale = 100;

  AugmentationConfig augment;
  CheckpointPolicy checkpoints;
  /// mAP@0.5 on the test set every N epochs; 0 = never, kEvalEveryEpochsAuto = from the data
  /// set sizes (mapEvaluationInterval()).
  int evalEveryEpochs = kEvalEveryEpochsAuto;

  std::string device = "auto";     ///< "auto", "cpu" or "cuda:N"
  std::string precision = "auto";  ///< "auto", "fp32" or "bf16" (core/run/mixed_precision.h)
  int threads = 0;                 ///< 0 = all cores
  int dataWorkers = 2;             ///< background threads preparing batches
  uint64_t seed = 0;
  int maxBadStepsInRow = 5;  ///< non-finite steps in a row before rolling back + pausing
};

/// Epochs between mAP evaluations for a run on `trainImages` / `testImages` images (0 = never;
/// the trainer also evaluates after the last epoch). An explicit evalEveryEpochs is kept.
/// Auto: every epoch while the test set has at most a quarter as many images as the training
/// set, otherwise every ceil(4 * test / train) epochs, so that mAP (score 0.05, NMS and
/// matching over every test image) stays a small share of the run on big test sets.
int mapEvaluationInterval(const RunConfig& c, size_t trainImages, size_t testImages);

/// The steps a run plans with `stepsPerEpoch` batches an epoch: stepsPerEpoch * epochs,
/// capped by maxSteps when that is set.
int64_t plannedSteps(const RunConfig& c, int64_t stepsPerEpoch);

/// Names of the built-in presets: "tutorial" (the original's settings) and "cpu-fast".
std::vector<std::string> presetNames();

/// A preset by name; throws std::invalid_argument listing the known names.
RunConfig preset(const std::string& name);

/// Every problem that would stop a run, one message each (empty = good). Checks that the
/// files exist, sizes are multiples of 32, counts are positive, LR values are sane.
std::vector<std::string> validate(const RunConfig& config);

/// Reads a config JSON; missing keys take their defaults so older files keep loading.
/// Throws std::runtime_error naming the file and the JSON problem.
RunConfig loadRunConfig(const std::filesystem::path& path);

/// Writes the config as pretty JSON, atomically.
void saveRunConfig(const RunConfig& config, const std::filesystem::path& path);

/// Changes one setting given as `key=value`, with the key as config.json spells it and dots
/// for nested objects (`lr_init=2e-3`, `augment.randomZoom=true`, `model.outputPrior=0.01`)
/// and the value as JSON (a bare word is taken as a string). Throws std::invalid_argument
/// naming the key when it does not exist or the value's type does not match.
void applySetting(RunConfig& config, const std::string& keyEqualsValue);

/// Points the config at a dataset in any format core/data/dataset_source.h reads (stored
/// absolute; the three annotation/names files are cleared). Throws std::runtime_error when
/// `path` does not exist. The format is detected when the run reads it.
void useDataset(RunConfig& config, const std::filesystem::path& path);

/// Points the config at a folder made by make-data: train.txt, test.txt, mnist.names.
/// Throws std::runtime_error naming what is missing.
void useDataFolder(RunConfig& config, const std::filesystem::path& folder);

void to_json(nlohmann::json& j, const RunConfig& c);
void from_json(const nlohmann::json& j, RunConfig& c);

}  // namespace yolo::run
