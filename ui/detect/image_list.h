#pragma once
// The images the Detect view works on: opened files (EXIF orientation applied, as a photo
// viewer shows them), dropped files and folders, and pasted pictures, listed by name.
// Files are decoded when shown, and only the one shown is kept decoded: a folder of
// thousands of photos opens at once and takes the memory of one.

#include <QImage>
#include <QListWidget>
#include <QString>
#include <QStringList>
#include <QVector>

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
  /// The image at `index`, decoded now if need be; null when out of range or unreadable
  /// (reported once by unreadable(), and the entry greyed out with the reason).
  QImage image(int index);
  QString name(int index) const;

 Q_SIGNALS:
  /// A file could not be read as an image: `reason` is the decoder's.
  void unreadable(const QString& path, const QString& reason);

 private:
  struct Entry {
    QString name;
    QString path;   ///< empty for a pasted picture, which is kept decoded
    QImage image;   ///< decoded: a pasted picture, or the file shown last
    QString error;  ///< why the file could not be decoded
  };
  void addEntry(Entry entry, const QString& toolTip);
  QVector<Entry> images_;
  int decoded_ = -1;  ///< the file entry whose image is kept
};

}  // namespace yolo::ui
