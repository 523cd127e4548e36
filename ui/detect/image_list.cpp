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
#include <QtConcurrent/QtConcurrentRun>

#include "ui/common/box_image_view.h"
#include "ui/common/release_in_background.h"

namespace yolo::ui {

ImageList::ImageList(QWidget* parent) : QListWidget(parent) {
  setObjectName(QStringLiteral("detectImages"));
  setMaximumWidth(220);
  connect(&decoder_, &QFutureWatcherBase::finished, this, &ImageList::onDecoded);
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
    if (wanted_ != decoding_) wanted_ = -1;  // shown from memory: a pending decode is moot
    return entry.image;
  }
  wanted_ = index;
  if (decoding_ < 0) startDecoding(index);
  return QImage();
}

void ImageList::startDecoding(int index) {
  decoding_ = index;
  decoder_.setFuture(QtConcurrent::run([path = images_[index].path] {
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // Qt refuses an image past its allocation limit from the header, before decoding.
    Decoded decoded;
    decoded.image = reader.read();
    if (decoded.image.isNull()) decoded.error = reader.errorString();
    decoded.drawable = BoxImageView::drawableCopy(decoded.image);
    return decoded;
  }));
}

void ImageList::onDecoded() {
  const int index = std::exchange(decoding_, -1);
  if (index < 0 || index >= images_.size()) return;
  const Decoded decoded = decoder_.result();
  if (!decoded.error.isEmpty()) {
    markUnreadable(index, decoded.error);  // known now, whichever entry is wanted
  } else if (index == wanted_) {
    // Keep one file decoded: the one shown. Pasted pictures have no file to read again.
    if (decoded_ >= 0 && decoded_ != index && decoded_ < images_.size() &&
        !images_[decoded_].path.isEmpty()) {
      releaseInBackground(std::exchange(images_[decoded_].image, QImage()));
      releaseInBackground(std::exchange(images_[decoded_].drawable, QImage()));
    }
    decoded_ = index;
    images_[index].image = decoded.image;
    images_[index].drawable = decoded.drawable;
  }
  if (index == wanted_) {
    wanted_ = -1;
    if (decoded.error.isEmpty()) Q_EMIT imageReady(index);
  } else if (wanted_ >= 0) {
    startDecoding(wanted_);  // the one asked for while this one decoded
  }
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
