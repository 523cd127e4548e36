#include "core/train/metrics_log.h"

#include <sstream>
#include <stdexcept>

#include "core/util/atomic_file.h"

namespace yolo::train {
namespace fs = std::filesystem;

namespace {

void addLoss(nlohmann::json& j, const LossValues& v, const std::string& prefix) {
  j[prefix + "total_loss"] = v.total;
  j[prefix + "giou_loss"] = v.giou;
  j[prefix + "conf_loss"] = v.conf;
  j[prefix + "prob_loss"] = v.prob;
  for (std::size_t s = 0; s < v.giouPerScale.size(); ++s) {
    const std::string suffix = "_s" + std::to_string(s);
    j[prefix + "giou_loss" + suffix] = v.giouPerScale[s];
    if (s < v.confPerScale.size()) j[prefix + "conf_loss" + suffix] = v.confPerScale[s];
    if (s < v.probPerScale.size()) j[prefix + "prob_loss" + suffix] = v.probPerScale[s];
  }
}

}  // namespace

nlohmann::json toJson(const StepMetrics& m) {
  nlohmann::json j{{"type", "step"},
                   {"step", m.step},
                   {"total_steps", m.totalSteps},
                   {"steps_per_epoch", m.stepsPerEpoch},
                   {"epoch", m.epoch},
                   {"lr", m.lr},
                   {"images_per_s", m.imagesPerSecond},
                   {"data_wait", m.dataWait}};
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

MetricsLog::MetricsLog(const fs::path& path, int64_t keepUpToStep) : path_(path) {
  if (keepUpToStep >= 0 && fs::exists(path)) {
    std::istringstream in(readTextFile(path));
    std::string kept, line;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
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

void MetricsLog::append(const nlohmann::json& record) {
  std::lock_guard<std::mutex> lock(mutex_);
  out_ << record.dump() << '\n';
  out_.flush();
}

}  // namespace yolo::train
