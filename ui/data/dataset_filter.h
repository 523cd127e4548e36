#pragma once
// Filters the dataset browser by class present and by file name.

#include <QSortFilterProxyModel>

namespace yolo::ui {

class DatasetFilter : public QSortFilterProxyModel {
  Q_OBJECT

 public:
  using QSortFilterProxyModel::QSortFilterProxyModel;

  /// Only images holding at least one box of `classId` (-1: all images).
  void setClassFilter(int classId);
  /// Only images whose file name contains `text` (case-insensitive; empty: all).
  void setNameFilter(const QString& text);
  /// Only the "train" or "test" split (empty: both).
  void setSplitFilter(const QString& split);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  int classId_ = -1;
  QString name_;
  QString split_;
};

}  // namespace yolo::ui
