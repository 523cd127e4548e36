#pragma once
// Dataset statistics: boxes per class (bars), and every box's width x height against the
// anchors of the chosen model (so one sees which anchors the digits will match).

#include <QStringList>
#include <QWidget>

#include <memory>

class QComboBox;
class QCustomPlot;
class QLabel;

namespace yolo::ui {

struct LoadedDataset;

class DatasetStatsView : public QWidget {
  Q_OBJECT

 public:
  explicit DatasetStatsView(QWidget* parent = nullptr);

  void setDataset(std::shared_ptr<const LoadedDataset> dataset);

 private:
  void redraw();

  std::shared_ptr<const LoadedDataset> dataset_;
  QComboBox* architecture_ = nullptr;
  QLabel* summary_ = nullptr;
  QCustomPlot* classes_ = nullptr;
  QCustomPlot* sizes_ = nullptr;
};

}  // namespace yolo::ui
