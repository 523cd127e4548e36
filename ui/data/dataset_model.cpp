#include "ui/data/dataset_model.h"

#include <QFileInfo>
#include <QImageReader>
#include <QPainter>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include "ui/common/class_colors.h"

namespace yolo::ui {

namespace {

QImage makeThumbnail(const QString& path, const std::vector<data::Box>& boxes, int side) {
  QImageReader reader(path);
  reader.setAutoTransform(true);  // EXIF orientation, as the boxes were drawn on it
  QSize full = reader.size();     // as stored, before the orientation is applied
  if (full.isValid()) {
    // Decoding at the reduced size is much cheaper for JPEGs than decoding and scaling.
    reader.setScaledSize(full.scaled(side, side, Qt::KeepAspectRatio));
    if (reader.transformation() & QImageIOHandler::TransformationRotate90) full.transpose();
  }
  QImage image = reader.read();
  if (image.isNull()) {
    QImage missing(side, side, QImage::Format_RGB32);
    missing.fill(QColor(200, 60, 60));
    return missing;
  }
  image = image.convertToFormat(QImage::Format_RGB32);
  {
    // A frame, so white pages stand apart from each other and from the view.
    QPainter frame(&image);
    frame.setPen(QColor(150, 150, 150));
    frame.drawRect(image.rect().adjusted(0, 0, -1, -1));
  }
  if (full.isValid() && !boxes.empty()) {
    QPainter painter(&image);
    const double sx = static_cast<double>(image.width()) / full.width();
    const double sy = static_cast<double>(image.height()) / full.height();
    for (const data::Box& b : boxes) {
      painter.setPen(QPen(classColor(b.classId), 1.5));
      painter.drawRect(QRectF(b.x1 * sx, b.y1 * sy, b.width() * sx, b.height() * sy));
    }
  }
  return image;
}

}  // namespace

DatasetModel::DatasetModel(QObject* parent) : QAbstractListModel(parent) {
  cache_.setMaxCost(4000);  // thumbnails kept (~40 KB each at 96 px)
  pool_.setMaxThreadCount(std::max(1, QThread::idealThreadCount() / 2));
  batch_.setSingleShot(true);
  batch_.setInterval(15);  // gather the rows a scroll asks for, newest first
  connect(&batch_, &QTimer::timeout, this, &DatasetModel::startPending);
  makePlaceholder();
}

DatasetModel::~DatasetModel() {
  ++generation_;
  pool_.clear();
  pool_.waitForDone();
}

void DatasetModel::setDataset(std::shared_ptr<const LoadedDataset> dataset) {
  beginResetModel();
  ++generation_;
  pool_.clear();
  pending_.clear();
  running_.clear();
  cache_.clear();
  dataset_ = std::move(dataset);
  endResetModel();
}

void DatasetModel::makePlaceholder() {
  placeholder_ = QImage(side_, side_, QImage::Format_RGB32);
  placeholder_.fill(QColor(225, 225, 225));
}

int DatasetModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() || !dataset_ ? 0 : dataset_->size();
}

QVariant DatasetModel::data(const QModelIndex& index, int role) const {
  if (!dataset_ || !index.isValid() || index.row() >= dataset_->size()) return {};
  const int row = index.row();
  const data::Sample& sample = dataset_->samples[static_cast<size_t>(row)];
  switch (role) {
    case Qt::DisplayRole:
      return QFileInfo(QString::fromStdString(sample.image.string())).fileName();
    case Qt::ToolTipRole:
      return dataset_->lines.value(row);
    case Qt::DecorationRole:
      if (const QImage* thumb = cache_.object(row)) return *thumb;
      requestThumbnail(row);
      // A same-sized placeholder keeps the grid's uniform item size right before any
      // thumbnail exists.
      return placeholder_;
    case PathRole:
      return QString::fromStdString(sample.image.string());
    case ClassesRole: {
      QList<int> ids;
      for (const data::Box& b : sample.boxes)
        if (!ids.contains(b.classId)) ids << b.classId;
      return QVariant::fromValue(ids);
    }
    case SplitRole:
      return dataset_->splits.value(row);
    case LineRole:
      return dataset_->lines.value(row);
    case BoxCountRole:
      return static_cast<int>(sample.boxes.size());
    default:
      return {};
  }
}

void DatasetModel::requestThumbnail(int row) const {
  if (pending_.contains(row) || running_.contains(row)) return;
  pending_.insert(row);
  if (!batch_.isActive()) const_cast<QTimer&>(batch_).start();
}

void DatasetModel::startPending() {
  const int generation = generation_;
  const auto dataset = dataset_;
  const int side = side_;
  QPointer<DatasetModel> self(this);
  for (int row : std::as_const(pending_)) {
    running_.insert(row);
    const QString path =
        QString::fromStdString(dataset->samples[static_cast<size_t>(row)].image.string());
    const std::vector<data::Box> boxes = dataset->samples[static_cast<size_t>(row)].boxes;
    // Fire and forget: the result comes back through the queued call below, not the future.
    (void)QtConcurrent::run(&pool_, [self, generation, row, path, boxes, side] {
      QImage thumb = makeThumbnail(path, boxes, side);
      QMetaObject::invokeMethod(
          self.data(),
          [self, generation, row, thumb = std::move(thumb)] {
            if (!self || self->generation_ != generation) return;
            self->running_.remove(row);
            self->cache_.insert(row, new QImage(thumb));
            const QModelIndex index = self->index(row);
            Q_EMIT self->dataChanged(index, index, {Qt::DecorationRole});
            Q_EMIT self->thumbnailReady(row);
          },
          Qt::QueuedConnection);
    });
  }
  pending_.clear();
}

}  // namespace yolo::ui
