#include "ui/detect/image_list.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeData>
#include <QUrl>

namespace yolo::ui {

ImageList::ImageList(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("detectImages"));
  setMaximumWidth(220);
}

int ImageList::openImages(const QStringList& paths) {
  int added = 0;
  const int firstNew = images_.size();
  for (const QString& path : paths) {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QImage read = reader.read();
    if (read.isNull()) {
      Q_EMIT unreadable(path, reader.errorString());
      continue;
    }
    images_.push_back(Entry{QFileInfo(path).fileName(), read});
    auto* item = new QListWidgetItem(QFileInfo(path).fileName(), this);
    item->setToolTip(QDir::toNativeSeparators(path));
    ++added;
  }
  if (added > 0) setCurrentRow(firstNew);
  return added;
}

void ImageList::addImage(const QString& name, const QImage& image) {
  if (image.isNull()) return;
  images_.push_back(Entry{name, image});
  new QListWidgetItem(name, this);
  setCurrentRow(images_.size() - 1);
}

bool ImageList::pasteFromClipboard() {
  const QMimeData* mime = QApplication::clipboard()->mimeData();
  if (!mime) return false;
  if (mime->hasImage()) {
    const QImage pasted = qvariant_cast<QImage>(mime->imageData());
    if (pasted.isNull()) return false;
    addImage(tr("pasted %1").arg(images_.size() + 1), pasted);
    return true;
  }
  if (mime->hasUrls()) {
    QStringList paths;
    for (const QUrl& url : mime->urls())
      if (url.isLocalFile()) paths << url.toLocalFile();
    return openImages(paths) > 0;
  }
  return false;
}

QImage ImageList::image(int index) const {
  return index >= 0 && index < images_.size() ? images_[index].image : QImage();
}

QString ImageList::name(int index) const {
  return index >= 0 && index < images_.size() ? images_[index].name : QString();
}

}  // namespace yolo::ui
