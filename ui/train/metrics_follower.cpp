#include "ui/train/metrics_follower.h"

#include <QFile>
#include <QFileInfo>

#include "ui/train/metrics_jsonl.h"

namespace yolo::ui {

MetricsFollower::MetricsFollower(QObject* parent) : QObject(parent) {
  poll_.setInterval(1000);
  connect(&poll_, &QTimer::timeout, this, &MetricsFollower::poll);
  connect(&watcher_, &QFileSystemWatcher::fileChanged, this, [this] {
    poll();
    // Some editors and writers replace the file; watch the new one.
    if (!watcher_.files().contains(path_) && QFileInfo::exists(path_)) watcher_.addPath(path_);
  });
  connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, [this] {
    if (!watcher_.files().contains(path_) && QFileInfo::exists(path_)) watcher_.addPath(path_);
    poll();
  });
}

void MetricsFollower::follow(const QString& path) {
  stop();
  path_ = path;
  offset_ = 0;
  partial_.clear();
  const QString folder = QFileInfo(path).absolutePath();
  if (QFileInfo::exists(folder)) watcher_.addPath(folder);
  if (QFileInfo::exists(path)) watcher_.addPath(path);
  poll();
  poll_.start();
}

void MetricsFollower::stop() {
  poll_.stop();
  if (!watcher_.files().isEmpty()) watcher_.removePaths(watcher_.files());
  if (!watcher_.directories().isEmpty()) watcher_.removePaths(watcher_.directories());
}

void MetricsFollower::readToEnd() {
  while (readChunk()) {
  }
}

void MetricsFollower::poll() {
  if (!readChunk() || catchUpScheduled_) return;
  catchUpScheduled_ = true;
  QTimer::singleShot(0, this, [this] {
    catchUpScheduled_ = false;
    if (poll_.isActive()) poll();  // not after stop()
  });
}

bool MetricsFollower::readChunk() {
  if (path_.isEmpty()) return false;
  QFile file(path_);
  if (!file.open(QIODevice::ReadOnly)) return false;  // not written yet
  const qint64 size = file.size();
  if (size < offset_) {
    offset_ = 0;
    partial_.clear();
    Q_EMIT restarted();
  }
  if (size == offset_) return false;
  if (!file.seek(offset_)) return false;
  QByteArray chunk = file.read(kChunkBytes);
  offset_ += chunk.size();
  partial_.append(chunk);

  qsizetype start = 0;
  for (;;) {
    const qsizetype end = partial_.indexOf('\n', start);
    if (end < 0) break;
    const MetricsLine line = parseMetricsLine(partial_.mid(start, end - start));
    if (const auto* s = std::get_if<StepRecord>(&line)) {
      Q_EMIT step(*s);
    } else if (const auto* e = std::get_if<EpochRecord>(&line)) {
      Q_EMIT epoch(*e);
    } else if (const auto* ev = std::get_if<EventRecord>(&line)) {
      Q_EMIT event(*ev);
    }
    start = end + 1;
  }
  partial_.remove(0, start);
  return offset_ < size;
}

}  // namespace yolo::ui
