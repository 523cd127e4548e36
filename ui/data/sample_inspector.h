#pragma once
// One image of a dataset looked at closely: the picture with its boxes (hover one to read
// it), its annotation line, the dataset's statistics, and the problems found while reading.
// Pictures decode on a pool thread (LatestImageDecoder): a dataset of big photos never
// holds up the window, and arrowing through the browser decodes only where it stops.

#include <QStringList>
#include <QTabWidget>

#include <memory>

#include "ui/data/loaded_dataset.h"

class QLabel;
class QTimer;
class QLineEdit;
class QPlainTextEdit;

namespace yolo::ui {

class BoxImageView;
class DatasetStatsView;
class LatestImageDecoder;

class SampleInspector : public QTabWidget {
  Q_OBJECT

 public:
  explicit SampleInspector(QWidget* parent = nullptr);

  /// Shows `dataset`'s statistics and problems; the image pane is emptied.
  void setDataset(std::shared_ptr<const LoadedDataset> dataset);
  /// A dataset could not be read: its problems are listed, nothing else changes.
  void showProblems(const QStringList& issues);

  /// Shows row `row` of the dataset with its boxes and line once its picture is decoded;
  /// until then the previous one stays, and after a moment "Opening NAME…" takes its place.
  /// A picture that cannot be read is named where it would be. Out of range does nothing.
  void showSample(int row);
  /// The row shown, or being opened.
  int shownRow() const { return shownRow_; }
  /// Whether shownRow()'s picture is still decoding.
  bool isOpening() const;

  BoxImageView* viewer() const { return viewer_; }
  DatasetStatsView* statistics() const { return stats_; }
  /// The annotation line of the image shown.
  QString shownLine() const;
  /// What the pane under the image says about the box under the mouse.
  QString hoveredText() const;
  QString problemsText() const;

 private:
  QString imagePath(int row) const;
  void showPicture(int row, const QImage& picture, const QImage& drawable);
  void showUnreadable(int row, const QString& reason);
  void showOpening();

  std::shared_ptr<const LoadedDataset> dataset_;
  LatestImageDecoder* decoder_ = nullptr;
  QTimer* openingNotice_ = nullptr;  ///< says "Opening…" when a decode takes long
  BoxImageView* viewer_ = nullptr;
  QLineEdit* line_ = nullptr;
  QLabel* hovered_ = nullptr;
  DatasetStatsView* stats_ = nullptr;
  QPlainTextEdit* issues_ = nullptr;
  int shownRow_ = -1;
};

}  // namespace yolo::ui
