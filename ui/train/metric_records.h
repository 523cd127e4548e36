#pragma once
// What the plots and the log panel receive, whether from a live TrainingWorker or from a
// metrics.jsonl file being followed. Plain Qt value types, so they travel through queued
// signals; both sources make them from the core's records (core/train/metrics_records.h)
// with the toRecord() functions below, so a live run and a followed one look the same.

#include <QMetaType>
#include <QString>
#include <QVector>

#include <cmath>
#include <limits>

#include "core/train/training_events.h"

namespace yolo::ui {

inline constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();

struct StepRecord {
  qint64 step = 0;        ///< 1-based steps done
  qint64 totalSteps = 0;  ///< 0 when unknown (a followed file does not say)
  int epoch = 0;
  int stepInEpoch = 0;
  int stepsPerEpoch = 0;  ///< 0 when unknown
  double lr = kNoValue;
  double total = kNoValue, giou = kNoValue, conf = kNoValue, prob = kNoValue;
  QVector<double> giouPerScale, confPerScale, probPerScale;
  double imagesPerSecond = kNoValue;
  double dataWait = kNoValue;
  double etaSeconds = kNoValue;
};

struct EpochRecord {
  int epoch = 0;
  qint64 step = 0;
  double valTotal = kNoValue, valGiou = kNoValue, valConf = kNoValue, valProb = kNoValue;
  double map50 = kNoValue;  ///< NaN when evaluation did not run this epoch
  double seconds = kNoValue;

  bool hasValidation() const { return std::isfinite(valTotal); }
  bool hasMap() const { return std::isfinite(map50); }
};

struct EventRecord {
  QString event;  ///< "started", "paused", "checkpoint", "nan_skipped", "rolled_back", ...
  QString message;
};

StepRecord toRecord(const train::StepMetrics& m);
EpochRecord toRecord(const train::EpochMetrics& m);
EventRecord toRecord(const train::TrainingEvent& e);

}  // namespace yolo::ui

Q_DECLARE_METATYPE(yolo::ui::StepRecord)
Q_DECLARE_METATYPE(yolo::ui::EpochRecord)
Q_DECLARE_METATYPE(yolo::ui::EventRecord)
