#pragma once
// Reads metrics.jsonl, the per-run log the trainer appends to, line by line with the core's
// parser (core/train/metrics_records.h), into the records the plots take.

#include <QByteArray>

#include <variant>

#include "ui/train/metric_records.h"

namespace yolo::ui {

using MetricsLine = std::variant<std::monostate, StepRecord, EpochRecord, EventRecord>;

/// One line (without newline); monostate for a blank, malformed or unknown line, so a
/// half-written last line or a newer field never breaks reading.
MetricsLine parseMetricsLine(const QByteArray& line);

}  // namespace yolo::ui
