#include "ui/detect/image_list.h"

#include <algorithm>
#include <utility>

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QImageReader>
#include <QMimeData>
#include <QUrl>

#include "ui/common/box_image_view.h"
#include "ui/common/release_in_background.h"

namespace yolo::ui {

ImageList::ImageList(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("detectImages"));
  setMaximumWidth(220);
  connect(&decoder_, &LatestImageDecoder::ready, this, &ImageList::keepDecoded);
  connect(&decoder_, &LatestImageDecoder::failed, this,
          [this](int index, const QString&, const QString& reason) {
            if (index >= 0 && index < images_.size()) markUnreadable(index, reason);
          });
}

namespace {

// What QImageReader decodes, as file suffixes, for a folder's files.
QStringList imageNameFilters() {
  QStringList filters;
  for (const QByteArray& format : QImageReader::supportedImageFormats())
    filters << QStringLiteral("*.") + QString::fromLatin1(format);
  return filters;
}

QStringList imagesInFolder(const QString& folder) {
  QStringList files;
  QDirIterator it(folder, imageNameFilters(), QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) files << it.next();
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int ImageList::openImages(const QStringList& paths) {
  int added = 0;
  const int firstNew = images_.size();
  setUpdatesEnabled(false);  // one layout for a folder of thousands, not one per file
  for (const QString& path : paths) {
    if (QFileInfo(path).isDir()) {
      // Taken by suffix, unread: the header of each would cost a freeze on a big folder.
      for (const QString& file : imagesInFolder(path)) {
        addEntry(Entry{QDir(path).relativeFilePath(file), file, {}, {}, {}}, file);
        ++added;
      }
      continue;
    }
    QImageReader reader(path);  // reads the header only
    if (!reader.canRead()) {
      Q_EMIT unreadable(path, reader.errorString());
      continue;
    }
    addEntry(Entry{QFileInfo(path).fileName(), path, {}, {}, {}}, path);
    ++added;
  }
  setUpdatesEnabled(true);
  if (added > 0) setCurrentRow(firstNew);
  return added;
}

void ImageList::addEntry(Entry entry, const QString& toolTip) {
  auto* item = new QListWidgetItem(entry.name);
  if (!toolTip.isEmpty()) item->setToolTip(QDir::toNativeSeparators(toolTip));
  images_.push_back(std::move(entry));
  addItem(item);  // after the entry: currentRowChanged may ask for its image
}

void ImageList::addImage(const QString& name, const QImage& image) {
  if (image.isNull()) return;
  addEntry(Entry{name, QString(), image, BoxImageView::drawableCopy(image), QString()}, QString());
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

QImage ImageList::image(int index) {
  if (index < 0 || index >= images_.size()) return QImage();
  const Entry& entry = images_[index];
  if (!entry.image.isNull() || entry.path.isEmpty() || !entry.error.isEmpty()) {
    decoder_.dropWish();  // shown from memory: a pending decode is moot
    return entry.image;
  }
  decoder_.want(index, entry.path);
  return QImage();
}

void ImageList::keepDecoded(int index, const QImage& image, const QImage& drawable) {
  if (index < 0 || index >= images_.size()) return;
  // Keep one file decoded: the one shown. Pasted pictures have no file to read again.
  if (decoded_ >= 0 && decoded_ != index && decoded_ < images_.size() &&
      !images_[decoded_].path.isEmpty()) {
    releaseInBackground(std::exchange(images_[decoded_].image, QImage()));
    releaseInBackground(std::exchange(images_[decoded_].drawable, QImage()));
  }
  decoded_ = index;
  images_[index].image = image;
  images_[index].drawable = drawable;
  Q_EMIT imageReady(index);
}

void ImageList::markUnreadable(int index, const QString& error) {
  Entry& entry = images_[index];
  entry.error = error;
  if (QListWidgetItem* row = item(index)) {
    row->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
    row->setToolTip(QDir::toNativeSeparators(entry.path) + QStringLiteral("\n") + error);
  }
  Q_EMIT unreadable(entry.path, error);
}

QString ImageList::name(int index) const {
  return index >= 0 && index < images_.size() ? images_[index].name : QString();
}

QImage ImageList::drawable(int index) const {
  return index >= 0 && index < images_.size() ? images_[index].drawable : QImage();
}

QString ImageList::path(int index) const {
  return index >= 0 && index < images_.size() ? images_[index].path : QString();
}

}  // namespace yolo::ui
