#pragma once
// metrics.jsonl: one JSON object per line, appended as the run goes, so other programs
// (the GUI following a server's run, scripts) can read a run while it is written.
// Keys follow the tutorial's TensorBoard scalars and are kept stable:
//   {"type":"step","step":..,"total_steps":..,"steps_per_epoch":..,"epoch":..,"lr":..,"total_loss":..,"giou_loss":..,"conf_loss":..,
//    "prob_loss":..,"giou_loss_s0":..,..,"images_per_s":..,"data_wait":..}
//   {"type":"epoch","epoch":..,"step":..,"val_total_loss":..,"val_giou_loss":..,..,"map50":..}
//   {"type":"event","step":..,"event":"checkpoint","message":".."}

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/train/training_events.h"

namespace yolo::train {

nlohmann::json toJson(const StepMetrics& m);
nlohmann::json toJson(const EpochMetrics& m);
nlohmann::json toJson(const TrainingEvent& e, int64_t step);

class MetricsLog {
 public:
  /// Opens `path` for appending. When `keepUpToStep` >= 0 (a resumed run), lines about
  /// steps after it (written after the checkpoint the run resumes from) are dropped
  /// first, atomically, so the curves stay consistent.
  explicit MetricsLog(const std::filesystem::path& path, int64_t keepUpToStep = -1);

  /// Appends one line and flushes it. Thread-safe.
  void append(const nlohmann::json& record);

 private:
  std::mutex mutex_;
  std::ofstream out_;
  std::filesystem::path path_;
};

}  // namespace yolo::train
