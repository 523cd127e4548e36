#include "core/train/metrics_log.h"

#include <sstream>
#include <stdexcept>

#include "core/util/atomic_file.h"
#include "core/util/json_numbers.h"

namespace yolo::train {
namespace fs = std::filesystem;

MetricsLog::MetricsLog(const fs::path& path, int64_t keepUpToStep) : path_(path) {
  if (keepUpToStep >= 0 && fs::exists(path)) {
    std::istringstream in(readTextFile(path));
    std::string kept, line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto j = nlohmann::json::parse(line, keepFloatsInIntRange, /*allow_exceptions=*/false);
      // A line cut short by a kill is dropped; so are records past the checkpoint.
      if (j.is_discarded()) continue;
      if (j.value("step", int64_t{0}) > keepUpToStep) continue;
      kept += line + "\n";
    }
    writeTextAtomically(path, kept);
  }
  out_.open(path, std::ios::app);
  if (!out_) throw std::runtime_error(path.string() + ": cannot open for appending");
}

bool MetricsLog::append(const nlohmann::json& record) {
  std::lock_guard<std::mutex> lock(mutex_);
  // After a failed write (a full disk) part of a line may be on disk: start on a new line,
  // so that fragment stays a line of its own, which readers skip.
  if (lastWriteFailed_) out_ << '\n';
  out_ << record.dump() << '\n';
  out_.flush();
  lastWriteFailed_ = !out_;
  out_.clear();  // the stream's error is sticky; the next line may find space again
  return !lastWriteFailed_;
}

}  // namespace yolo::train
