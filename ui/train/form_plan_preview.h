#pragma once
// The learning-rate plan of the Train form's settings, before Start: the steps an epoch
// need the number of training images, which are counted off the GUI thread (a big COCO
// file takes a while) and remembered per data source, so editing epochs or rates redraws
// at once.

#include <QFutureWatcher>
#include <QHash>
#include <QObject>
#include <QString>

#include <cstddef>
#include <optional>

#include "core/run/run_config.h"
#include "core/train/lr_schedule.h"

namespace yolo::ui {

class FormPlanPreview : public QObject {
  Q_OBJECT

 public:
  explicit FormPlanPreview(QObject* parent = nullptr);
  ~FormPlanPreview() override;

  /// Plans `config`: ready() at once when its training images were counted before,
  /// else after counting them; unavailable() when they cannot be read. Only the latest
  /// config is answered.
  void plan(const run::RunConfig& config);

 Q_SIGNALS:
  void ready(const yolo::train::LrSchedule& schedule, qint64 stepsPerEpoch, qint64 images);
  void unavailable(const QString& why);

 private:
  struct Count {
    std::optional<std::size_t> images;
    QString error;
  };
  static QString sourceKey(const run::RunConfig& config);
  void answer(const Count& count);

  run::RunConfig latest_;
  QHash<QString, Count> counted_;
  QFutureWatcher<Count>* watcher_ = nullptr;
  QString countingKey_;  ///< the source being counted; empty when none
};

}  // namespace yolo::ui
