#pragma once
// Precision against recall per class (IoU 0.5, as the mAP): one curve per class with
// detections, each point the values after one more detection by descending score. One
// class can be brought forward (the evaluation view's table selects it); the others fade.

#include <QWidget>

#include <vector>

#include "core/eval/map.h"

class QCustomPlot;

namespace yolo::ui {

class PrCurvesPlot : public QWidget {
  Q_OBJECT

 public:
  explicit PrCurvesPlot(QWidget* parent = nullptr);

  void setCurves(const std::vector<eval::ClassEvaluation>& perClass);
  /// Brings `classId`'s curve forward; -1 (or a class without a curve) shows all alike.
  void highlight(int classId);
  int curveCount() const { return static_cast<int>(classes_.size()); }
  int highlighted() const { return highlighted_; }
  QCustomPlot* plot() const { return plot_; }

 private:
  QCustomPlot* plot_ = nullptr;
  std::vector<int> classes_;  ///< the class of each graph, in graph order
  int highlighted_ = -1;
};

}  // namespace yolo::ui
