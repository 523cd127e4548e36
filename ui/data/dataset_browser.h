#pragma once
// The thumbnail grid of a dataset, filtered by class, split and file name, with how many
// images the filter shows and how many boxes each class has in the whole dataset.

#include <QString>
#include <QWidget>

#include <memory>

#include "ui/data/loaded_dataset.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;

namespace yolo::ui {

class DatasetFilter;
class DatasetModel;

class DatasetBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetBrowser(QWidget* parent = nullptr);

  /// Shows `dataset` with every filter cleared and its first image selected.
  void setDataset(std::shared_ptr<const LoadedDataset> dataset);

  DatasetModel* model() const { return model_; }
  DatasetFilter* filter() const { return filter_; }
  QListView* grid() const { return grid_; }
  /// "Boxes per class — 0: 12 · 1: 9 · …" over the whole dataset, whatever the filter.
  QString countsText() const;
  /// "N of M images shown".
  QString shownText() const;

 public Q_SLOTS:
  void setClassFilter(int classId);
  void setNameFilter(const QString& text);

 Q_SIGNALS:
  /// The image selected in the grid, as a row of the dataset.
  void sampleSelected(int row);

 private:
  void updateShownCount();

  std::shared_ptr<const LoadedDataset> dataset_;
  DatasetModel* model_ = nullptr;
  DatasetFilter* filter_ = nullptr;
  QListView* grid_ = nullptr;
  QComboBox* classFilter_ = nullptr;
  QComboBox* splitFilter_ = nullptr;
  QLineEdit* search_ = nullptr;
  QLabel* counts_ = nullptr;
  QLabel* shown_ = nullptr;
};

/// "Boxes per class — 0: 12 · 1: 9 · …" for `dataset`; boxes of a class id without a name
/// are counted as "other".
QString boxesPerClassText(const LoadedDataset& dataset);

}  // namespace yolo::ui
