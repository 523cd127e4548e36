#include "ui/train/metric_records.h"

namespace yolo::ui {

namespace {
QVector<double> toVector(const std::vector<double>& v) {
  return QVector<double>(v.begin(), v.end());
}
}  // namespace

StepRecord toRecord(const train::StepMetrics& m) {
  StepRecord r;
  r.step = m.step;
  r.totalSteps = m.totalSteps;
  r.epoch = m.epoch;
  r.stepInEpoch = m.stepInEpoch;
  r.stepsPerEpoch = m.stepsPerEpoch;
  r.lr = m.lr;
  r.total = m.loss.total;
  r.giou = m.loss.giou;
  r.conf = m.loss.conf;
  r.prob = m.loss.prob;
  r.giouPerScale = toVector(m.loss.giouPerScale);
  r.confPerScale = toVector(m.loss.confPerScale);
  r.probPerScale = toVector(m.loss.probPerScale);
  r.imagesPerSecond = m.imagesPerSecond;
  r.dataWait = m.dataWait;
  r.etaSeconds = m.etaSeconds;
  return r;
}

EpochRecord toRecord(const train::EpochMetrics& m) {
  EpochRecord r;
  r.epoch = m.epoch;
  r.step = m.step;
  if (m.validation) {
    r.valTotal = m.validation->total;
    r.valGiou = m.validation->giou;
    r.valConf = m.validation->conf;
    r.valProb = m.validation->prob;
  }
  if (m.map50) r.map50 = *m.map50;
  r.seconds = m.seconds;
  return r;
}

EventRecord toRecord(const train::TrainingEvent& e) {
  return {QString::fromStdString(e.event), QString::fromStdString(e.message)};
}

}  // namespace yolo::ui
