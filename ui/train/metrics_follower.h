#pragma once
// Follows a metrics.jsonl that another process (yolo-cli train) may still be writing:
// reads what is there, then the lines appended later. A QFileSystemWatcher reacts fast where
// the file system reports changes; a poll timer catches the rest (network drives).
// A long file (a 20,000-step run is about 10 MB) is read kChunkBytes at a time, one chunk per
// turn of the event loop, so opening it never blocks the GUI thread for long.

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

  /// Bytes read (and lines parsed and signalled) per turn of the event loop.
  static constexpr qint64 kChunkBytes = 128 * 1024;

  /// Starts following `path` from its beginning (the file may not exist yet). Emits the
  /// first chunk's records before it returns; the rest follow from the event loop.
  void follow(const QString& path);
  /// Reads everything the file holds now, before returning (for callers that need the
  /// whole history at once and accept the wait).
  void readToEnd();
  void stop();
  /// True between follow() and stop(): changes to the file are being watched.
  bool isFollowing() const { return poll_.isActive(); }
  QString path() const { return path_; }
  void setPollInterval(int ms) { poll_.setInterval(ms); }

 public Q_SLOTS:
  /// Reads what was appended since the last call, up to kChunkBytes (complete lines only);
  /// when more is waiting and the follower is following, the next chunk is read on the next
  /// turn of the event loop.
  void poll();

 Q_SIGNALS:
  void step(const yolo::ui::StepRecord& record);
  void epoch(const yolo::ui::EpochRecord& record);
  void event(const yolo::ui::EventRecord& record);
  /// The file shrank (rewritten from scratch): what was read before no longer holds.
  void restarted();

 private:
  /// Reads up to kChunkBytes; returns whether the file holds more after that.
  bool readChunk();

  QString path_;
  bool catchUpScheduled_ = false;
  qint64 offset_ = 0;
  QByteArray partial_;  // a last line without its newline yet
  QFileSystemWatcher watcher_;
  QTimer poll_;
};

}  // namespace yolo::ui
