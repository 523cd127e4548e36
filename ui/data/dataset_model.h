#pragma once
// The rows of the dataset browser: one per image, with a thumbnail made in the background
// (QtConcurrent on a small pool) the first time the view asks for it, so thousands of
// images scroll smoothly. Thumbnails show the boxes in their class colours.

#include <QAbstractListModel>
#include <QCache>
#include <QImage>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <memory>

#include "ui/data/loaded_dataset.h"

namespace yolo::ui {

class DatasetModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Roles {
    PathRole = Qt::UserRole + 1,  ///< absolute image path
    ClassesRole,                  ///< QList<int> of the class ids present
    SplitRole,                    ///< "train", "test" or ""
    LineRole,                     ///< the annotation line
    BoxCountRole,
  };

  explicit DatasetModel(QObject* parent = nullptr);
  ~DatasetModel() override;

  void setDataset(std::shared_ptr<const LoadedDataset> dataset);
  std::shared_ptr<const LoadedDataset> dataset() const { return dataset_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;

  int thumbnailSize() const { return side_; }
  /// Thumbnails made so far (tests wait on this).
  int thumbnailsReady() const { return cache_.size(); }

 Q_SIGNALS:
  void thumbnailReady(int row);

 private:
  void requestThumbnail(int row) const;
  void startPending();
  void makePlaceholder();

  std::shared_ptr<const LoadedDataset> dataset_;
  int side_ = 96;
  QImage placeholder_;
  mutable QCache<int, QImage> cache_;
  mutable QSet<int> pending_;
  QSet<int> running_;
  QTimer batch_;
  QThreadPool pool_;
  int generation_ = 0;  // results of an older dataset are dropped
};

}  // namespace yolo::ui
