#include "ui/train/metrics_jsonl.h"

#include <string_view>

#include "core/train/metrics_records.h"

namespace yolo::ui {

MetricsLine parseMetricsLine(const QByteArray& line) {
  const train::MetricsRecord record = train::parseMetricsRecord(
      std::string_view(line.constData(), static_cast<size_t>(line.size())));
  if (const auto* step = std::get_if<train::StepMetrics>(&record)) return toRecord(*step);
  if (const auto* epoch = std::get_if<train::EpochMetrics>(&record)) return toRecord(*epoch);
  if (const auto* logged = std::get_if<train::LoggedEvent>(&record)) return toRecord(logged->event);
  return {};
}

}  // namespace yolo::ui
