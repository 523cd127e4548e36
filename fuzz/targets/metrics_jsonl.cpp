// metrics.jsonl as the workbench follows a run: each line through parseMetricsRecord, which
// must never throw (a line may be cut short by a kill, or come from a newer version).
#include <string_view>

#include "core/train/metrics_records.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    const size_t end = text.find('\n');
    yolo::train::parseMetricsRecord(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return 0;
}
