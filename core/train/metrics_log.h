#pragma once
// metrics.jsonl: one JSON object per line (core/train/metrics_records.h), appended as the run
// goes, so other programs (the GUI following a server's run, scripts) can read a run while
// it is written.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/train/metrics_records.h"

namespace yolo::train {

class MetricsLog {
 public:
  /// Opens `path` for appending. When `keepUpToStep` >= 0 (a resumed run), lines about
  /// steps after it (written after the checkpoint the run resumes from) are dropped
  /// first, atomically, so the curves stay consistent.
  explicit MetricsLog(const std::filesystem::path& path, int64_t keepUpToStep = -1);

  /// Appends one line and flushes it; false when it could not be written (the disk is
  /// full): the run goes on, the line is lost, the next append tries again. Thread-safe.
  bool append(const nlohmann::json& record);

 private:
  std::mutex mutex_;
  std::ofstream out_;
  std::filesystem::path path_;
  bool lastWriteFailed_ = false;
};

}  // namespace yolo::train
