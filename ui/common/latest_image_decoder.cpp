#include "ui/common/latest_image_decoder.h"

#include <utility>

#include <QImageReader>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/common/box_image_view.h"
#include "ui/common/release_in_background.h"

namespace yolo::ui {

LatestImageDecoder::LatestImageDecoder(QObject* parent) : QObject(parent) {
  connect(&watcher_, &QFutureWatcherBase::finished, this, &LatestImageDecoder::onFinished);
}

void LatestImageDecoder::want(int id, const QString& path) {
  wanted_ = id;
  wantedPath_ = path;
  if (running_ < 0) start(id, path);
}

void LatestImageDecoder::start(int id, const QString& path) {
  running_ = id;
  runningPath_ = path;
  watcher_.setFuture(QtConcurrent::run([path] {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    Decoded decoded;
    decoded.image = reader.read();
    if (decoded.image.isNull()) decoded.error = reader.errorString();
    decoded.drawable = BoxImageView::drawableCopy(decoded.image);
    return decoded;
  }));
}

void LatestImageDecoder::onFinished() {
  const int id = std::exchange(running_, -1);
  if (id < 0) return;  // a finish with nothing in flight
  const QString path = std::exchange(runningPath_, QString());
  // Moved out of the future's store: no copy of the picture stays behind there, to be
  // freed on this thread when the next decode replaces the future.
  Decoded decoded = watcher_.future().takeResult();
  const bool stillWanted = id == wanted_ && path == wantedPath_;
  if (stillWanted) wanted_ = -1;
  if (!decoded.error.isEmpty()) {
    Q_EMIT failed(id, path, decoded.error);
  } else if (stillWanted) {
    Q_EMIT ready(id, decoded.image, decoded.drawable);
  }
  // A picture nobody shows (skipped while it decoded) is freed off the GUI thread.
  releaseInBackground(std::move(decoded.image));
  releaseInBackground(std::move(decoded.drawable));
  if (wanted_ >= 0) start(wanted_, wantedPath_);  // asked for while this one decoded
}

}  // namespace yolo::ui
