#include "core/run/checkpoint_header.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/util/json_numbers.h"

namespace yolo::run {

namespace {

constexpr int kFormatVersion = 1;

nlohmann::json stateToJson(const CheckpointState& s) {
  return {{"step", s.step},
          {"epoch", s.epoch},
          {"step_in_epoch", s.stepInEpoch},
          {"best_metric", s.bestMetric},
          {"has_best", s.hasBest},
          {"bad_steps_in_row", s.badStepsInRow}};
}

CheckpointState stateFromJson(const nlohmann::json& j) {
  CheckpointState s;
  s.step = j.value("step", int64_t{0});
  s.epoch = j.value("epoch", 0);
  s.stepInEpoch = j.value("step_in_epoch", int64_t{0});
  s.bestMetric = j.value("best_metric", 0.0);
  s.hasBest = j.value("has_best", false);
  s.badStepsInRow = j.value("bad_steps_in_row", int64_t{0});
  return s;
}

}  // namespace

std::string checkpointHeaderToText(const CheckpointHeader& h) {
  return nlohmann::json{{"format_version", h.formatVersion},
                        {"config", h.config},
                        {"class_names", h.classNames},
                        {"state", stateToJson(h.state)}}
      .dump();
}

CheckpointHeader checkpointHeaderFromText(const std::string& text) {
  const auto j = nlohmann::json::parse(text, keepFloatsInIntRange);
  CheckpointHeader h;
  h.formatVersion = j.at("format_version").get<int>();
  if (h.formatVersion > kFormatVersion) {
    throw std::runtime_error("format version " + std::to_string(h.formatVersion) +
                             " is newer than this program's " + std::to_string(kFormatVersion));
  }
  h.config = j.at("config").get<RunConfig>();
  h.classNames = j.value("class_names", std::vector<std::string>{});
  h.state = stateFromJson(j.value("state", nlohmann::json::object()));
  return h;
}

}  // namespace yolo::run
