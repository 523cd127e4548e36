#include "ui/data/dataset_filter.h"

#include "ui/data/dataset_model.h"

namespace yolo::ui {

void DatasetFilter::setClassFilter(int classId) {
  classId_ = classId;
  invalidateFilter();
}

void DatasetFilter::setNameFilter(const QString& text) {
  name_ = text.trimmed();
  invalidateFilter();
}

void DatasetFilter::setSplitFilter(const QString& split) {
  split_ = split;
  invalidateFilter();
}

bool DatasetFilter::filterAcceptsRow(int row, const QModelIndex& parent) const {
  const QModelIndex index = sourceModel()->index(row, 0, parent);
  if (!split_.isEmpty() && index.data(DatasetModel::SplitRole).toString() != split_) return false;
  if (!name_.isEmpty() &&
      !index.data(Qt::DisplayRole).toString().contains(name_, Qt::CaseInsensitive)) {
    return false;
  }
  if (classId_ >= 0 &&
      !index.data(DatasetModel::ClassesRole).value<QList<int>>().contains(classId_)) {
    return false;
  }
  return true;
}

}  // namespace yolo::ui
