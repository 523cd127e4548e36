#pragma once
// The schema of metrics.jsonl, in one place: the trainer writes its records with toJson(),
// and everything that reads a run back (the GUI following a run, scripts through the same
// keys) parses lines with parseMetricsRecord(). One JSON object a line; the keys follow the
// tutorial's TensorBoard scalars and are kept stable:
//   {"type":"step","step":..,"total_steps":..,"epoch":..,"total_epochs":..,"step_in_epoch":..,
//    "steps_per_epoch":..,"lr":..,"total_loss":..,"giou_loss":..,"conf_loss":..,"prob_loss":..,
//    "giou_loss_s0":..,..,"images_per_s":..,"data_wait":..,"eta_s":..}
//   {"type":"epoch","epoch":..,"step":..,"seconds":..,"val_total_loss":..,"val_giou_loss":..,
//    ..,"map50":..}   (the val_ keys only with a test set, map50 only when mAP was measured)
//   {"type":"event","step":..,"event":"checkpoint","message":".."}

#include <cstdint>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "core/train/training_events.h"

namespace yolo::train {

/// An event as logged: what happened and after how many steps.
struct LoggedEvent {
  TrainingEvent event;
  int64_t step = 0;
};

nlohmann::json toJson(const StepMetrics& m);
nlohmann::json toJson(const EpochMetrics& m);
nlohmann::json toJson(const TrainingEvent& e, int64_t step);

/// One line of metrics.jsonl, as written by toJson().
using MetricsRecord = std::variant<std::monostate, StepMetrics, EpochMetrics, LoggedEvent>;

/// Parses one line (with or without its newline). A blank line, malformed JSON (a line cut
/// short by a kill) or an unknown "type" gives monostate, so reading never fails on a file
/// that is being written or comes from a newer version. A number a line lacks or holds as
/// null (an older writer; NaN is written as null) reads as NaN for measured values and 0
/// for counts; a validation loss or map50 that is absent stays empty.
MetricsRecord parseMetricsRecord(std::string_view line);

}  // namespace yolo::train
