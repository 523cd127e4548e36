#pragma once
// What a training run reports to its observers (the CLI's progress bar, metrics.jsonl,
// the GUI's plots). Plain structs and std::function: torch-free and Qt-free.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace yolo::train {

/// Loss components with the tutorial's TensorBoard names; one value per output scale too.
struct LossValues {
  double total = 0, giou = 0, conf = 0, prob = 0;
  std::vector<double> giouPerScale, confPerScale, probPerScale;
};

/// Reported after every optimizer step.
struct StepMetrics {
  int64_t step = 0;        ///< 1-based count of steps done
  int64_t totalSteps = 0;  ///< planned steps of the whole run
  int epoch = 0;           ///< 1-based epoch the step belongs to
  int totalEpochs = 0;     ///< planned epochs (fewer when a step cap ends the run early)
  int stepInEpoch = 0;     ///< 1-based
  int stepsPerEpoch = 0;
  double lr = 0;  ///< learning rate used for this step
  LossValues loss;
  double imagesPerSecond = 0;
  double dataWait = 0;    ///< fraction of the step's wall time spent waiting for data
  double etaSeconds = 0;  ///< estimated time to the end of the run
};

/// Reported after every epoch's validation.
struct EpochMetrics {
  int epoch = 0;
  int64_t step = 0;
  std::optional<LossValues> validation;  ///< empty when there is no test set
  std::optional<double> map50;           ///< when evaluation ran this epoch
  double seconds = 0;                    ///< wall time of the epoch, validation included
};

/// Something that happened: "started", "dataset" (what was read from RunConfig::dataset:
/// format, images and boxes per split, classes), "pretrained" (the Darknet weights report),
/// "backbone_frozen", "backbone_unfrozen", "paused", "resumed", "checkpoint", "best",
/// "nan_skipped", "rolled_back", "data_warning", "map_failed" (an mAP evaluation threw: the
/// run goes on, the message says why and what became of best.pt), "cleaned_up" (stale
/// temporary files of a killed process removed from the run folder), "write_failed" (a
/// checkpoint could not be written, a full disk: the run is paused, resume() tries again),
/// "schedule_adjusted" (the run follows a changed plan from the step after the event's: a
/// change asked while it trains, or made to config.json since its checkpoint),
/// "adjust_refused" (a plan change that cannot apply, and why), "evaluation_not_saved" (the
/// file core/eval/saved_evaluation.h keeps could not be written; the mAP stands),
/// "stopped", "finished", "failed".
struct TrainingEvent {
  std::string event;
  std::string message;
};

/// Callbacks run on the training thread; they must be quick and must not throw.
struct TrainingObserver {
  std::function<void(const StepMetrics&)> onStep;
  std::function<void(const EpochMetrics&)> onEpoch;
  std::function<void(const TrainingEvent&)> onEvent;
  /// Empty in production. Given the 1-based step being tried and its loss, returns the loss
  /// the divergence check sees: a test returns NaN to make the run skip, roll back and pause
  /// as a diverging run would.
  std::function<double(int64_t step, double loss)> checkedLoss;
};

}  // namespace yolo::train
