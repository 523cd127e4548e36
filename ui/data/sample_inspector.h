#pragma once
// One image of a dataset looked at closely: the picture with its boxes (hover one to read
// it), its annotation line, the dataset's statistics, and the problems found while reading.

#include <QStringList>
#include <QTabWidget>

#include <memory>

#include "ui/data/loaded_dataset.h"

class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace yolo::ui {

class BoxImageView;
class DatasetStatsView;

class SampleInspector : public QTabWidget {
  Q_OBJECT

 public:
  explicit SampleInspector(QWidget* parent = nullptr);

  /// Shows `dataset`'s statistics and problems; the image pane is emptied.
  void setDataset(std::shared_ptr<const LoadedDataset> dataset);
  /// A dataset could not be read: its problems are listed, nothing else changes.
  void showProblems(const QStringList& issues);

  /// Shows row `row` of the dataset with its boxes and line; out of range does nothing.
  void showSample(int row);
  int shownRow() const { return shownRow_; }

  BoxImageView* viewer() const { return viewer_; }
  DatasetStatsView* statistics() const { return stats_; }
  /// The annotation line of the image shown.
  QString shownLine() const;
  /// What the pane under the image says about the box under the mouse.
  QString hoveredText() const;
  QString problemsText() const;

 private:
  std::shared_ptr<const LoadedDataset> dataset_;
  BoxImageView* viewer_ = nullptr;
  QLineEdit* line_ = nullptr;
  QLabel* hovered_ = nullptr;
  DatasetStatsView* stats_ = nullptr;
  QPlainTextEdit* issues_ = nullptr;
  int shownRow_ = -1;
};

}  // namespace yolo::ui
