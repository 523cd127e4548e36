#pragma once
// The images the Detect view works on: opened files (EXIF orientation applied, as a photo
// viewer shows them), dropped files and pasted pictures, listed by name.

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

  /// Adds the readable images among `paths` and selects the first added; returns how many
  /// were added. Each unreadable one is reported by unreadable().
  int openImages(const QStringList& paths);
  /// Adds and selects an image held in memory (a paste); a null image is ignored.
  void addImage(const QString& name, const QImage& image);
  /// Adds the clipboard's image, or the image files it names; false when it holds neither.
  bool pasteFromClipboard();

  int imageCount() const { return images_.size(); }
  /// The image at `index`; null when out of range.
  QImage image(int index) const;
  QString name(int index) const;

 Q_SIGNALS:
  /// A file could not be read as an image: `reason` is the decoder's.
  void unreadable(const QString& path, const QString& reason);

 private:
  struct Entry {
    QString name;
    QImage image;
  };
  QVector<Entry> images_;
};

}  // namespace yolo::ui
