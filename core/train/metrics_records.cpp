#include "core/train/metrics_records.h"

#include <limits>
#include <string>

#include "core/util/json_numbers.h"

namespace yolo::train {

namespace {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

void addLoss(nlohmann::json& j, const LossValues& v, const std::string& prefix) {
  j[prefix + "total_loss"] = v.total;
  j[prefix + "giou_loss"] = v.giou;
  j[prefix + "conf_loss"] = v.conf;
  j[prefix + "prob_loss"] = v.prob;
  auto addPerScale = [&](const std::string& key, const std::vector<double>& values) {
    for (std::size_t s = 0; s < values.size(); ++s)
      j[prefix + key + "_s" + std::to_string(s)] = values[s];
  };
  addPerScale("giou_loss", v.giouPerScale);
  addPerScale("conf_loss", v.confPerScale);
  addPerScale("prob_loss", v.probPerScale);
}

double number(const nlohmann::json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : kMissing;
}

int64_t count(const nlohmann::json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? static_cast<int64_t>(it->get<double>()) : 0;
}

std::string text(const nlohmann::json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Per-scale values are written as giou_loss_s0, giou_loss_s1, ... (one key per scale).
std::vector<double> perScale(const nlohmann::json& j, const std::string& key) {
  std::vector<double> values;
  for (std::size_t s = 0;; ++s) {
    const std::string name = key + "_s" + std::to_string(s);
    if (!j.contains(name)) return values;
    values.push_back(number(j, name));
  }
}

LossValues lossOf(const nlohmann::json& j, const std::string& prefix) {
  LossValues v;
  v.total = number(j, prefix + "total_loss");
  v.giou = number(j, prefix + "giou_loss");
  v.conf = number(j, prefix + "conf_loss");
  v.prob = number(j, prefix + "prob_loss");
  v.giouPerScale = perScale(j, prefix + "giou_loss");
  v.confPerScale = perScale(j, prefix + "conf_loss");
  v.probPerScale = perScale(j, prefix + "prob_loss");
  return v;
}

StepMetrics stepOf(const nlohmann::json& j) {
  StepMetrics m;
  m.step = count(j, "step");
  m.totalSteps = count(j, "total_steps");
  m.epoch = static_cast<int>(count(j, "epoch"));
  m.totalEpochs = static_cast<int>(count(j, "total_epochs"));
  m.stepInEpoch = static_cast<int>(count(j, "step_in_epoch"));
  m.stepsPerEpoch = static_cast<int>(count(j, "steps_per_epoch"));
  m.lr = number(j, "lr");
  m.loss = lossOf(j, "");
  m.imagesPerSecond = number(j, "images_per_s");
  m.dataWait = number(j, "data_wait");
  m.etaSeconds = number(j, "eta_s");
  return m;
}

EpochMetrics epochOf(const nlohmann::json& j) {
  EpochMetrics m;
  m.epoch = static_cast<int>(count(j, "epoch"));
  m.step = count(j, "step");
  m.seconds = number(j, "seconds");
  if (j.contains("val_total_loss")) m.validation = lossOf(j, "val_");
  if (const auto it = j.find("map50"); it != j.end() && it->is_number())
    m.map50 = it->get<double>();
  return m;
}

}  // namespace

nlohmann::json toJson(const StepMetrics& m) {
  nlohmann::json j{{"type", "step"},
                   {"step", m.step},
                   {"total_steps", m.totalSteps},
                   {"epoch", m.epoch},
                   {"total_epochs", m.totalEpochs},
                   {"step_in_epoch", m.stepInEpoch},
                   {"steps_per_epoch", m.stepsPerEpoch},
                   {"lr", m.lr},
                   {"images_per_s", m.imagesPerSecond},
                   {"data_wait", m.dataWait},
                   {"eta_s", m.etaSeconds}};
  addLoss(j, m.loss, "");
  return j;
}

nlohmann::json toJson(const EpochMetrics& m) {
  nlohmann::json j{{"type", "epoch"}, {"epoch", m.epoch}, {"step", m.step}, {"seconds", m.seconds}};
  if (m.validation) addLoss(j, *m.validation, "val_");
  if (m.map50) j["map50"] = *m.map50;
  return j;
}

nlohmann::json toJson(const TrainingEvent& e, int64_t step) {
  return {{"type", "event"}, {"step", step}, {"event", e.event}, {"message", e.message}};
}

MetricsRecord parseMetricsRecord(std::string_view line) {
  const auto j = nlohmann::json::parse(line.begin(), line.end(), keepFloatsInIntRange,
                                       /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return {};
  const std::string type = text(j, "type");
  if (type == "step") return stepOf(j);
  if (type == "epoch") return epochOf(j);
  if (type == "event") return LoggedEvent{{text(j, "event"), text(j, "message")}, count(j, "step")};
  return {};
}

}  // namespace yolo::train
