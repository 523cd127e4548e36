#include "ui/data/dataset_stats_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "core/data/dataset_stats.h"
#include "core/model/model_spec.h"
#include "ui/common/class_colors.h"
#include "ui/data/loaded_dataset.h"
#include "ui/plots/qcp.h"

namespace yolo::ui {

DatasetStatsView::DatasetStatsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Anchors of:")));
  architecture_ = new QComboBox;
  architecture_->setObjectName(QStringLiteral("statsArchitecture"));
  for (const std::string& name : model::architectureNames())
    architecture_->addItem(QString::fromStdString(name));
  connect(architecture_, &QComboBox::currentIndexChanged, this, [this] { redraw(); });
  row->addWidget(architecture_);
  row->addStretch(1);
  layout->addLayout(row);
  summary_ = new QLabel;
  summary_->setObjectName(QStringLiteral("statsSummary"));
  summary_->setWordWrap(true);
  layout->addWidget(summary_);

  classes_ = new QCustomPlot;
  classes_->setMinimumHeight(160);
  classes_->xAxis->setLabel(tr("class"));
  classes_->yAxis->setLabel(tr("boxes"));
  layout->addWidget(classes_, 1);

  sizes_ = new QCustomPlot;
  sizes_->setMinimumHeight(200);
  sizes_->xAxis->setLabel(tr("box width (px)"));
  sizes_->yAxis->setLabel(tr("box height (px)"));
  sizes_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  sizes_->legend->setVisible(true);
  layout->addWidget(sizes_, 2);
}

void DatasetStatsView::setDataset(std::shared_ptr<const LoadedDataset> dataset) {
  dataset_ = std::move(dataset);
  redraw();
}

void DatasetStatsView::redraw() {
  classes_->clearPlottables();
  sizes_->clearPlottables();
  if (!dataset_) {
    summary_->clear();
    classes_->replot();
    sizes_->replot();
    return;
  }
  const int numClasses = std::max(1, static_cast<int>(dataset_->classNames.size()));
  const data::DatasetStats stats = data::computeStats(dataset_->samples, numClasses);
  summary_->setText(tr("%1 images (%2 without boxes), %3 boxes, at most %4 in one image; "
                       "sides %5–%6 px")
                        .arg(stats.images)
                        .arg(stats.imagesWithoutBoxes)
                        .arg(stats.boxes)
                        .arg(stats.maxBoxesPerImage)
                        .arg(stats.minSide, 0, 'f', 0)
                        .arg(stats.maxSide, 0, 'f', 0));

  // Boxes per class: one bar each, in the class colour.
  QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
  double maxCount = 1;
  for (int c = 0; c < static_cast<int>(stats.boxesPerClass.size()); ++c) {
    auto* bar = new QCPBars(classes_->xAxis, classes_->yAxis);
    bar->setBrush(classColor(c));
    bar->setPen(Qt::NoPen);
    bar->setWidth(0.7);
    bar->addData(c, stats.boxesPerClass[static_cast<size_t>(c)]);
    ticker->addTick(c, dataset_->classNames.value(c, QString::number(c)));
    maxCount = std::max(maxCount, static_cast<double>(stats.boxesPerClass[static_cast<size_t>(c)]));
  }
  classes_->xAxis->setTicker(ticker);
  classes_->xAxis->setRange(-0.7, numClasses - 0.3);
  classes_->yAxis->setRange(0, maxCount * 1.1);
  classes_->replot();

  // Box sizes against the anchors.
  auto* boxes = sizes_->addGraph();
  boxes->setName(tr("boxes"));
  boxes->setLineStyle(QCPGraph::lsNone);
  boxes->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(37, 99, 235, 90),
                                         QColor(37, 99, 235, 90), 4));
  QVector<double> w, h;
  w.reserve(static_cast<int>(stats.boxSizes.size()));
  h.reserve(static_cast<int>(stats.boxSizes.size()));
  double maxSide = 32;
  for (const data::BoxSize& s : stats.boxSizes) {
    w << s.width;
    h << s.height;
    maxSide = std::max({maxSide, static_cast<double>(s.width), static_cast<double>(s.height)});
  }
  boxes->setData(w, h);
  const auto anchors = model::defaultAnchors(architecture_->currentText().toStdString());
  const QColor scaleColors[] = {QColor(22, 163, 74), QColor(234, 88, 12), QColor(220, 38, 38)};
  for (size_t scale = 0; scale < anchors.size(); ++scale) {
    auto* graph = sizes_->addGraph();
    graph->setName(tr("anchors, scale %1").arg(scale));
    graph->setLineStyle(QCPGraph::lsNone);
    const QColor color = scaleColors[scale % 3];
    graph->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCrossSquare, QPen(color, 2), Qt::NoBrush, 12));
    for (const auto& wh : anchors[scale]) {
      graph->addData(wh[0], wh[1]);
      maxSide = std::max({maxSide, static_cast<double>(wh[0]), static_cast<double>(wh[1])});
    }
  }
  sizes_->xAxis->setRange(0, maxSide * 1.05);
  sizes_->yAxis->setRange(0, maxSide * 1.05);
  sizes_->replot();
}

}  // namespace yolo::ui
