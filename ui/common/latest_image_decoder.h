#pragma once
// Decodes image files on a pool thread, one at a time, only the latest one asked for: a view
// that shows one picture at a time (the Detect view's list, the Data view's inspector) never
// holds up the window while a photo of hundreds of megapixels decodes, and scrolling
// through a folder decodes only the row where the scrolling stops.

#include <QFutureWatcher>
#include <QImage>
#include <QObject>
#include <QString>

namespace yolo::ui {

class LatestImageDecoder : public QObject {
  Q_OBJECT

 public:
  explicit LatestImageDecoder(QObject* parent = nullptr);

  /// Decodes `path` (EXIF orientation applied) as soon as the decode in progress, if any,
  /// has finished; `id` names it in the signals. Replaces an earlier wish that has not
  /// started: that one is never decoded.
  void want(int id, const QString& path);
  /// The wish is moot (the view shows something else): a decode in progress still finishes,
  /// and reports a failure, but its picture is dropped.
  void dropWish() { wanted_ = -1; }
  /// The id asked for last and not delivered yet; -1 when none.
  int wanted() const { return wanted_; }

 Q_SIGNALS:
  /// The file wanted last is decoded. `drawable` is BoxImageView::drawableCopy(image), made
  /// on the decoding thread.
  void ready(int id, const QImage& image, const QImage& drawable);
  /// A decoded file could not be read (truncated, corrupt, not an image, too large for
  /// Qt's allocation limit, which it checks from the header): `reason` is the decoder's.
  /// Reported whether or not the file is still wanted: it is known to be bad now.
  void failed(int id, const QString& path, const QString& reason);

 private:
  struct Decoded {
    QImage image, drawable;
    QString error;
  };
  void start(int id, const QString& path);
  void onFinished();
  QFutureWatcher<Decoded> watcher_;
  int running_ = -1;  ///< the id being decoded now
  QString runningPath_;
  int wanted_ = -1;  ///< the id asked for last and not delivered yet
  QString wantedPath_;
};

}  // namespace yolo::ui
