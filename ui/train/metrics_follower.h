#pragma once
// Follows a metrics.jsonl that another process (yolo-cli train) may still be writing:
// reads what is there, then the lines appended later. A QFileSystemWatcher reacts fast where
// the file system reports changes; a poll timer catches the rest (network drives).

#include <QFileSystemWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

#include "ui/train/metric_records.h"

namespace yolo::ui {

class MetricsFollower : public QObject {
  Q_OBJECT

 public:
  explicit MetricsFollower(QObject* parent = nullptr);

  /// Starts following `path` from its beginning (the file may not exist yet).
  void follow(const QString& path);
  void stop();
  QString path() const { return path_; }
  void setPollInterval(int ms) { poll_.setInterval(ms); }

 public Q_SLOTS:
  /// Reads whatever was appended since the last call; complete lines only.
  void poll();

 Q_SIGNALS:
  void step(const yolo::ui::StepRecord& record);
  void epoch(const yolo::ui::EpochRecord& record);
  void event(const yolo::ui::EventRecord& record);
  /// The file shrank (rewritten from scratch): what was read before no longer holds.
  void restarted();

 private:
  QString path_;
  qint64 offset_ = 0;
  QByteArray partial_;  // a last line without its newline yet
  QFileSystemWatcher watcher_;
  QTimer poll_;
};

}  // namespace yolo::ui
