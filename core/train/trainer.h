#pragma once
// Runs a training job: data loading, the loss, Adam with warm-up + cosine LR, validation,
// checkpoints, metrics.jsonl. Pause / resume / stop are safe to call from any thread.
// Torch-free header (pimpl) so the Qt worker can hold a Trainer.

#include <filesystem>
#include <memory>

#include "core/run/run_config.h"
#include "core/train/training_events.h"

namespace yolo::train {

enum class TrainingOutcome {
  kFinished,  ///< all planned steps done; last.pt and best.pt written
  kStopped,   ///< stop was requested; last.pt written, `resume` continues from it
};

class Trainer {
 public:
  /// Starts a new run in `runDir` (created; config.json written there). Throws
  /// std::runtime_error when the config does not validate or the data cannot be read.
  Trainer(run::RunConfig config, std::filesystem::path runDir);

  /// Continues the run in `runDir` from its last checkpoint: same step, LR and data order.
  static std::unique_ptr<Trainer> resumeFrom(const std::filesystem::path& runDir);

  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Trains on the calling thread until finished or stopped. Observers are called on this
  /// thread. Throws std::runtime_error on a failure that a rollback cannot cure; a
  /// checkpoint of the last good state is on disk whenever that happens.
  TrainingOutcome run(const TrainingObserver& observer);

  /// Between batches, the loop parks until resume() or stop(). Any thread.
  void pause();
  void resume();
  /// Ends the run after the current batch, saving last.pt. Any thread.
  void stop();
  bool isPaused() const;

  const run::RunConfig& config() const;
  const std::filesystem::path& runDir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Trainer() = default;
};

}  // namespace yolo::train
