#include "ui/data/dataset_stats_view.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

#include "core/data/anchor_fit.h"
#include "core/data/dataset_stats.h"
#include "core/model/model_spec.h"
#include "ui/common/class_colors.h"
#include "ui/data/loaded_dataset.h"
#include "ui/plots/qcp.h"

namespace yolo::ui {

namespace {

/// The fit the view shows, made off the GUI thread (it reads every image's size): the
/// training images' boxes, or all images' when the dataset has no training split.
DatasetStatsView::AnchorComparison fitAnchors(std::shared_ptr<const LoadedDataset> dataset,
                                              const QString& architecture, int inputSize) {
  DatasetStatsView::AnchorComparison out;
  out.dataset = dataset.get();
  out.architecture = architecture;
  out.inputSize = inputSize;
  std::vector<data::Sample> training;
  for (int i = 0; i < dataset->size(); ++i)
    if (dataset->splits.value(i) == QLatin1String("train"))
      training.push_back(dataset->samples[static_cast<size_t>(i)]);
  const auto shapes =
      data::letterboxedBoxShapes(training.empty() ? dataset->samples : training, inputSize);
  out.boxes = static_cast<int>(shapes.size());
  try {
    const data::ModelAnchorFit fit = data::fitModelAnchors(shapes, architecture.toStdString());
    out.fitted = fit.anchors;
    out.fittedIou = fit.meanBestIou;
    out.defaultIou = fit.defaultMeanBestIou;
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
  }
  return out;
}

}  // namespace

DatasetStatsView::DatasetStatsView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  row->addWidget(new QLabel(tr("Anchors of:")));
  architecture_ = new QComboBox;
  architecture_->setObjectName(QStringLiteral("statsArchitecture"));
  for (const std::string& name : model::architectureNames())
    architecture_->addItem(QString::fromStdString(name));
  connect(architecture_, &QComboBox::currentIndexChanged, this, [this] {
    redraw();
    startFit();
  });
  row->addWidget(architecture_);
  anchorFit_ = new QLabel;
  anchorFit_->setObjectName(QStringLiteral("anchorFit"));
  anchorFit_->setWordWrap(true);
  row->addWidget(anchorFit_, 1);
  useFitted_ = new QPushButton(tr("Use anchors fitted to this data"));
  useFitted_->setObjectName(QStringLiteral("useFittedAnchors"));
  useFitted_->setToolTip(tr("The next run in the Train view uses these anchors"));
  useFitted_->setEnabled(false);
  connect(useFitted_, &QPushButton::clicked, this, [this] {
    if (!fit_.fitted.empty())
      Q_EMIT anchorsChosen(fit_.architecture,
                           QString::fromStdString(data::formatAnchors(fit_.fitted)));
  });
  row->addWidget(useFitted_);
  layout->addLayout(row);
  connect(&fitter_, &QFutureWatcher<AnchorComparison>::finished, this, [this] {
    const AnchorComparison result = fitter_.result();
    // A result for another dataset or model than the one shown now is dropped.
    if (result.dataset != dataset_.get() || result.architecture != architecture_->currentText())
      return;
    fit_ = result;
    showFit();
  });
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

DatasetStatsView::~DatasetStatsView() { fitter_.waitForFinished(); }

void DatasetStatsView::setDataset(std::shared_ptr<const LoadedDataset> dataset) {
  dataset_ = std::move(dataset);
  redraw();
  startFit();
}

QString DatasetStatsView::anchorFitText() const { return anchorFit_->text(); }

void DatasetStatsView::startFit() {
  fit_ = {};
  useFitted_->setEnabled(false);
  if (!dataset_ || dataset_->samples.empty()) {
    anchorFit_->clear();
    return;
  }
  anchorFit_->setText(tr("Fitting anchors…"));
  fitter_.setFuture(QtConcurrent::run(&fitAnchors, dataset_, architecture_->currentText(), 416));
}

void DatasetStatsView::showFit() {
  if (!fit_.error.isEmpty()) {
    anchorFit_->setText(tr("No anchors fitted: %1").arg(fit_.error));
    return;
  }
  anchorFit_->setText(tr("Mean best IoU of %1 training boxes at %2 px: default anchors %3, "
                         "fitted %4")
                          .arg(fit_.boxes)
                          .arg(fit_.inputSize)
                          .arg(fit_.defaultIou, 0, 'f', 3)
                          .arg(fit_.fittedIou, 0, 'f', 3));
  useFitted_->setEnabled(true);
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
  if (!fit_.fitted.empty()) {
    auto* fitted = sizes_->addGraph();
    fitted->setName(tr("fitted anchors"));
    fitted->setLineStyle(QCPGraph::lsNone);
    fitted->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), Qt::NoBrush, 12));
    for (const auto& wh : data::flatten(fit_.fitted)) {
      fitted->addData(wh[0], wh[1]);
      maxSide = std::max({maxSide, static_cast<double>(wh[0]), static_cast<double>(wh[1])});
    }
  }
  sizes_->xAxis->setRange(0, maxSide * 1.05);
  sizes_->yAxis->setRange(0, maxSide * 1.05);
  sizes_->replot();
}

}  // namespace yolo::ui
