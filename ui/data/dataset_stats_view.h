#pragma once
// Dataset statistics: boxes per class (bars), and every box's width x height against the
// anchors of the chosen model (so one sees which anchors the digits will match), with
// anchors fitted to the data in the background (core/data/anchor_fit.h) and the mean best
// IoU of each set; "Use anchors fitted to this data" hands them to the next run.

#include <QFutureWatcher>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <vector>

#include "core/model/model_spec.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QPushButton;

namespace yolo::ui {

struct LoadedDataset;

class DatasetStatsView : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetStatsView(QWidget* parent = nullptr);

  ~DatasetStatsView() override;

  void setDataset(std::shared_ptr<const LoadedDataset> dataset);

  /// The anchors comparison as shown ("" while fitting or without boxes).
  QString anchorFitText() const;

  /// Anchors fitted to a dataset's training boxes, and how well they and the defaults fit.
  struct AnchorComparison {
    const LoadedDataset* dataset = nullptr;  ///< the dataset fitted (to drop stale results)
    QString architecture;
    int inputSize = 416;
    int boxes = 0;
    std::vector<model::ScaleAnchors> fitted;
    double fittedIou = 0;
    double defaultIou = 0;
    QString error;  ///< why nothing was fitted
  };

 Q_SIGNALS:
  /// The user chose the fitted anchors for the next run (formatAnchors' text).
  void anchorsChosen(const QString& architecture, const QString& anchors);

 private:
  void redraw();
  void startFit();
  void showFit();

  std::shared_ptr<const LoadedDataset> dataset_;
  QComboBox* architecture_ = nullptr;
  QLabel* summary_ = nullptr;
  QLabel* anchorFit_ = nullptr;
  QPushButton* useFitted_ = nullptr;
  QFutureWatcher<AnchorComparison> fitter_;
  AnchorComparison fit_;  ///< the latest finished fit
  QCustomPlot* classes_ = nullptr;
  QCustomPlot* sizes_ = nullptr;
};

}  // namespace yolo::ui
