#include "ui/eval/pr_curves_plot.h"

#include <QVBoxLayout>

#include <algorithm>

#include "ui/common/class_colors.h"
#include "ui/plots/qcp.h"

namespace yolo::ui {

PrCurvesPlot::PrCurvesPlot(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("prCurves"));
  plot_ = new QCustomPlot(this);
  plot_->xAxis->setLabel(tr("recall"));
  plot_->yAxis->setLabel(tr("precision"));
  plot_->xAxis->setRange(0, 1.02);
  plot_->yAxis->setRange(0, 1.02);
  plot_->legend->setVisible(true);
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setMinimumHeight(180);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(plot_);
}

void PrCurvesPlot::setCurves(const std::vector<eval::ClassEvaluation>& perClass) {
  plot_->clearGraphs();
  classes_.clear();
  highlighted_ = -1;
  for (const eval::ClassEvaluation& c : perClass) {
    if (c.prCurve.empty() || !c.inMean()) continue;
    QVector<double> recall, precision;
    for (const eval::PrPoint& p : c.prCurve) {
      recall << p.recall;
      precision << p.precision;
    }
    QCPGraph* graph = plot_->addGraph();
    // Recall never falls along the detections: the points are in order already.
    graph->setData(recall, precision, /*alreadySorted=*/true);
    graph->setName(tr("%1 (AP %2)").arg(QString::fromStdString(c.name)).arg(c.ap50, 0, 'f', 3));
    classes_.push_back(c.classId);
  }
  plot_->legend->setVisible(!classes_.empty());
  highlight(-1);
}

void PrCurvesPlot::highlight(int classId) {
  const bool known = std::find(classes_.begin(), classes_.end(), classId) != classes_.end();
  highlighted_ = known ? classId : -1;
  for (int g = 0; g < plot_->graphCount(); ++g) {
    const int c = classes_[static_cast<size_t>(g)];
    QColor color = classColor(c);
    const bool forward = highlighted_ < 0 || c == highlighted_;
    if (!forward) color.setAlpha(50);
    plot_->graph(g)->setPen(QPen(color, c == highlighted_ ? 3.0 : 1.5));
  }
  plot_->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace yolo::ui
