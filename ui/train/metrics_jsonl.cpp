#include "ui/train/metrics_jsonl.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace yolo::ui {

namespace {

double number(const QJsonObject& o, const char* key) {
  const QJsonValue v = o.value(QLatin1String(key));
  return v.isDouble() ? v.toDouble() : kNoValue;
}

// Per-scale values are written as giou_loss_s0, giou_loss_s1, ... (one key per scale).
QVector<double> perScale(const QJsonObject& o, const QString& key) {
  QVector<double> out;
  for (int s = 0;; ++s) {
    const QJsonValue v = o.value(QStringLiteral("%1_s%2").arg(key).arg(s));
    if (v.isUndefined()) break;
    out.push_back(v.isDouble() ? v.toDouble() : kNoValue);
  }
  return out;
}

}  // namespace

MetricsLine parseMetricsLine(const QByteArray& line) {
  const QByteArray trimmed = line.trimmed();
  if (trimmed.isEmpty()) return {};
  QJsonParseError error{};
  const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
  if (error.error != QJsonParseError::NoError || !doc.isObject()) return {};
  const QJsonObject o = doc.object();
  const QString type = o.value(QLatin1String("type")).toString();
  if (type == QLatin1String("step")) {
    StepRecord r;
    r.step = static_cast<qint64>(number(o, "step"));
    r.epoch = o.value(QLatin1String("epoch")).toInt();
    r.totalSteps = o.value(QLatin1String("total_steps")).toInteger();
    r.stepsPerEpoch = o.value(QLatin1String("steps_per_epoch")).toInt();
    r.lr = number(o, "lr");
    r.total = number(o, "total_loss");
    r.giou = number(o, "giou_loss");
    r.conf = number(o, "conf_loss");
    r.prob = number(o, "prob_loss");
    r.giouPerScale = perScale(o, QStringLiteral("giou_loss"));
    r.confPerScale = perScale(o, QStringLiteral("conf_loss"));
    r.probPerScale = perScale(o, QStringLiteral("prob_loss"));
    r.imagesPerSecond = number(o, "images_per_s");
    r.dataWait = number(o, "data_wait");
    r.etaSeconds = number(o, "eta_s");
    return r;
  }
  if (type == QLatin1String("epoch")) {
    EpochRecord r;
    r.epoch = o.value(QLatin1String("epoch")).toInt();
    r.step = static_cast<qint64>(number(o, "step"));
    r.valTotal = number(o, "val_total_loss");
    r.valGiou = number(o, "val_giou_loss");
    r.valConf = number(o, "val_conf_loss");
    r.valProb = number(o, "val_prob_loss");
    r.map50 = number(o, "map50");
    r.seconds = number(o, "seconds");
    return r;
  }
  if (type == QLatin1String("event")) {
    EventRecord r;
    r.event = o.value(QLatin1String("event")).toString();
    r.message = o.value(QLatin1String("message")).toString();
    return r;
  }
  return {};
}

}  // namespace yolo::ui
