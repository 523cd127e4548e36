#pragma once
// The images the Detect view works on: opened files (EXIF orientation applied, as a photo
// viewer shows them), dropped files and folders, and pasted pictures, listed by name.
// Files are decoded when shown, on a pool thread, and only the one shown is kept decoded: a
// folder of thousands of photos opens at once and takes the memory of one, and a photo of
// hundreds of megapixels never holds up the window while it decodes.

#include <QImage>
#include <QListWidget>
#include <QString>
#include <QStringList>
#include <QVector>

#include "ui/common/latest_image_decoder.h"

namespace yolo::ui {

class ImageList : public QListWidget {
  Q_OBJECT

 public:
  explicit ImageList(QWidget* parent = nullptr);

  /// Adds the images among `paths` and selects the first added; returns how many were
  /// added. A folder adds the image files in it and its subfolders (by suffix, sorted). A
  /// file that is no image by its header is reported by unreadable() and not added; one that
  /// fails to decode when shown (truncated, corrupt, too large for memory) is reported then.
  int openImages(const QStringList& paths);
  /// Adds and selects an image held in memory (a paste); a null image is ignored.
  void addImage(const QString& name, const QImage& image);
  /// Adds the clipboard's image, or the image files it names; false when it holds neither.
  bool pasteFromClipboard();

  int imageCount() const { return images_.size(); }
  /// The image at `index` when it is decoded (a pasted picture, or the file decoded last).
  /// Otherwise null, and a file not known to be unreadable is decoded in the background:
  /// imageReady(index) follows, or unreadable() (once; the entry is greyed out with the
  /// reason). Only the latest index asked for is decoded: asking for others while one
  /// decodes, as when scrolling through a folder, starts no work for the skipped ones.
  QImage image(int index);
  /// What the view draws for image(index): BoxImageView::drawableCopy of it, made on the
  /// decoding thread; null when image(index) is.
  QImage drawable(int index) const;
  /// Whether image(index) has asked for a decode that has not finished.
  bool isDecoding(int index) const { return index >= 0 && index == decoder_.wanted(); }
  QString name(int index) const;
  /// The file of entry `index`; empty for a pasted picture.
  QString path(int index) const;

 Q_SIGNALS:
  /// A file could not be read as an image: `reason` is the decoder's.
  void unreadable(const QString& path, const QString& reason);
  /// The file at `index` is decoded: image(index) returns it now.
  void imageReady(int index);

 private:
  struct Entry {
    QString name;
    QString path;     ///< empty for a pasted picture, which is kept decoded
    QImage image;     ///< decoded: a pasted picture, or the file shown last
    QImage drawable;  ///< BoxImageView::drawableCopy(image)
    QString error;    ///< why the file could not be decoded
  };
  void addEntry(Entry entry, const QString& toolTip);
  void keepDecoded(int index, const QImage& image, const QImage& drawable);
  void markUnreadable(int index, const QString& error);
  QVector<Entry> images_;
  int decoded_ = -1;  ///< the file entry whose image is kept
  LatestImageDecoder decoder_;
};

}  // namespace yolo::ui
