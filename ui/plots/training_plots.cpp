#include "ui/plots/training_plots.h"

#include <QCheckBox>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "ui/plots/lr_curve.h"
#include "ui/plots/plot_panel.h"

namespace yolo::ui {

namespace {

// One colour per loss component, the same in every run; runs differ by line style.
const QColor kTotal(31, 41, 55);
const QColor kGiou(37, 99, 235);
const QColor kConf(234, 88, 12);
const QColor kProb(22, 163, 74);
const QColor kLr(124, 58, 237);
const QColor kMap(219, 39, 119);

Qt::PenStyle runPen(int run) {
  static const Qt::PenStyle pens[] = {Qt::SolidLine, Qt::DashLine, Qt::DotLine, Qt::DashDotLine};
  return pens[run % 4];
}

QColor runColor(const QColor& base, int run) {
  return run == 0 ? base : base.darker(100 + 30 * run);
}

void appendIfFinite(PlotPanel* panel, int series, double x, double y) {
  if (series >= 0 && std::isfinite(x) && std::isfinite(y)) panel->append(series, x, y);
}

}  // namespace

TrainingPlots::TrainingPlots(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);

  loss_ = new PlotPanel(tr("Losses"), tr("step"), tr("loss"), this);
  loss_->setObjectName(QStringLiteral("lossPlot"));
  lr_ = new PlotPanel(tr("Learning rate"), tr("step"), tr("learning rate"), this);
  lr_->setObjectName(QStringLiteral("lrPlot"));
  lr_->setSmoothingControlVisible(false);
  map_ = new PlotPanel(tr("mAP@0.5"), tr("epoch"), tr("mAP@0.5"), this);
  map_->setObjectName(QStringLiteral("mapPlot"));
  map_->setSmoothingControlVisible(false);
  map_->setToolTip(tr("Click a point to see what the detector got wrong at that epoch"));
  connect(map_, &PlotPanel::pointClicked, this, [this](int series, double epoch, double) {
    for (int run = 0; run < runCount(); ++run) {
      if (hasRun(run) && runs_[run].map == series)
        Q_EMIT mapPointClicked(run, static_cast<int>(std::lround(epoch)));
    }
  });

  perScaleBox_ = new QCheckBox(tr("Per-scale losses"), this);
  perScaleBox_->setObjectName(QStringLiteral("perScale"));
  perScaleBox_->setToolTip(tr("Also draw giou, conf and prob of each output scale"));
  connect(perScaleBox_, &QCheckBox::toggled, this, &TrainingPlots::setPerScaleVisible);

  auto* splitter = new QSplitter(Qt::Vertical, this);
  auto* lossBox = new QWidget(splitter);
  auto* lossLayout = new QVBoxLayout(lossBox);
  lossLayout->setContentsMargins(0, 0, 0, 0);
  lossLayout->addWidget(loss_, 1);
  lossLayout->addWidget(perScaleBox_);
  splitter->addWidget(lossBox);
  splitter->addWidget(lr_);
  splitter->addWidget(map_);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 2);
  splitter->setStretchFactor(2, 2);
  layout->addWidget(splitter);
}

void TrainingPlots::relabel() {
  const auto shown =
      std::count_if(runs_.begin(), runs_.end(), [](const RunSeries& r) { return !r.removed; });
  for (const RunSeries& r : runs_) {
    if (r.removed) continue;
    const bool withLabel = shown > 1 && !r.label.isEmpty();
    for (const RunSeries::Named& n : r.named) {
      n.panel->renameSeries(n.id,
                            withLabel ? QStringLiteral("%1 · %2").arg(n.base, r.label) : n.base);
    }
  }
}

int TrainingPlots::addRun(const QString& label) {
  const int run = static_cast<int>(runs_.size());
  runs_.push_back(RunSeries{});
  RunSeries& r = runs_.back();
  r.label = label;
  const Qt::PenStyle pen = runPen(run);
  using S = PlotPanel::Style;
  auto add = [&](PlotPanel* panel, const QString& base, const QColor& color, S style,
                 bool smoothable) {
    const int id = panel->addSeries(base, color, style, pen, smoothable);
    r.named.push_back({panel, id, base});
    return id;
  };
  r.total = add(loss_, tr("total"), runColor(kTotal, run), S::Line, true);
  r.giou = add(loss_, tr("giou"), runColor(kGiou, run), S::Line, true);
  r.conf = add(loss_, tr("conf"), runColor(kConf, run), S::Line, true);
  r.prob = add(loss_, tr("prob"), runColor(kProb, run), S::Line, true);
  r.valTotal = add(loss_, tr("val total"), runColor(kTotal, run), S::LineAndMarkers, false);
  r.valGiou = add(loss_, tr("val giou"), runColor(kGiou, run), S::LineAndMarkers, false);
  r.valConf = add(loss_, tr("val conf"), runColor(kConf, run), S::LineAndMarkers, false);
  r.valProb = add(loss_, tr("val prob"), runColor(kProb, run), S::LineAndMarkers, false);
  r.lrPlanned = add(lr_, tr("planned"), runColor(kLr, run).lighter(160), S::Line, false);
  r.lr = add(lr_, tr("lr"), runColor(kLr, run), S::Line, false);
  r.map = add(map_, tr("mAP@0.5"), runColor(kMap, run), S::LineAndMarkers, false);
  relabel();  // the first run's series gain its label once a second one is drawn
  return run;
}

void TrainingPlots::clearRuns() {
  runs_.clear();
  planPreview_ = -1;
  loss_->clear();
  lr_->clear();
  map_->clear();
}

void TrainingPlots::removeRun(int run) {
  if (!hasRun(run)) return;
  RunSeries& r = runs_[run];
  for (int id : {r.total, r.giou, r.conf, r.prob, r.valTotal, r.valGiou, r.valConf, r.valProb})
    loss_->removeSeries(id);
  for (int id : r.perScale) loss_->removeSeries(id);
  lr_->removeSeries(r.lr);
  lr_->removeSeries(r.lrPlanned);
  map_->removeSeries(r.map);
  r.removed = true;
  relabel();
}

bool TrainingPlots::hasRun(int run) const {
  return run >= 0 && run < runCount() && !runs_[run].removed;
}

QString TrainingPlots::runLabel(int run) const {
  return run >= 0 && run < runCount() ? runs_[run].label : QString();
}

void TrainingPlots::ensurePerScale(int run, int scales) {
  RunSeries& r = runs_[run];
  if (!r.perScale.isEmpty() || scales <= 0) return;
  const QColor bases[] = {kGiou, kConf, kProb};
  const QString names[] = {tr("giou"), tr("conf"), tr("prob")};
  for (int part = 0; part < 3; ++part) {
    for (int s = 0; s < scales; ++s) {
      const QColor c = runColor(bases[part], run).lighter(115 + 25 * s);
      const QString base = QStringLiteral("%1 s%2").arg(names[part]).arg(s);
      const int id = loss_->addSeries(base, c, PlotPanel::Style::Line, Qt::DotLine);
      loss_->setSeriesVisible(id, perScale_);
      r.perScale.push_back(id);
      r.named.push_back({loss_, id, base});
    }
  }
  relabel();
}

void TrainingPlots::addStep(int run, const StepRecord& rec) {
  if (!hasRun(run)) return;
  const double x = static_cast<double>(rec.step);
  RunSeries& r = runs_[run];
  appendIfFinite(loss_, r.total, x, rec.total);
  appendIfFinite(loss_, r.giou, x, rec.giou);
  appendIfFinite(loss_, r.conf, x, rec.conf);
  appendIfFinite(loss_, r.prob, x, rec.prob);
  const int scales = static_cast<int>(rec.giouPerScale.size());
  if (scales > 0 && rec.confPerScale.size() == scales && rec.probPerScale.size() == scales) {
    ensurePerScale(run, scales);
    if (r.perScale.size() == 3 * scales) {
      const QVector<double>* parts[] = {&rec.giouPerScale, &rec.confPerScale, &rec.probPerScale};
      for (int part = 0; part < 3; ++part) {
        for (int s = 0; s < scales; ++s) {
          appendIfFinite(loss_, r.perScale[part * scales + s], x, (*parts[part])[s]);
        }
      }
    }
  }
  appendIfFinite(lr_, r.lr, x, rec.lr);
}

void TrainingPlots::addEpoch(int run, const EpochRecord& rec) {
  if (!hasRun(run)) return;
  const RunSeries& r = runs_[run];
  // Validation losses share the step axis with the training losses.
  const double x = static_cast<double>(rec.step);
  appendIfFinite(loss_, r.valTotal, x, rec.valTotal);
  appendIfFinite(loss_, r.valGiou, x, rec.valGiou);
  appendIfFinite(loss_, r.valConf, x, rec.valConf);
  appendIfFinite(loss_, r.valProb, x, rec.valProb);
  appendIfFinite(map_, r.map, rec.epoch, rec.map50);
}

void TrainingPlots::setSchedule(int run, const train::LrSchedule& schedule) {
  if (!hasRun(run)) return;
  QVector<double> steps, rates;
  sampleLrCurve(schedule, steps, rates);
  lr_->setData(runs_[run].lrPlanned, steps, rates);
}

void TrainingPlots::setPlanPreview(const train::LrSchedule& schedule, const QString& label) {
  if (label.isEmpty()) {
    if (planPreview_ >= 0) lr_->removeSeries(planPreview_);
    planPreview_ = -1;
    return;
  }
  if (planPreview_ < 0) {
    planPreview_ =
        lr_->addSeries(label, kLr.darker(130), PlotPanel::Style::Line, Qt::DashLine, false);
  }
  lr_->renameSeries(planPreview_, label);
  QVector<double> steps, rates;
  sampleLrCurve(schedule, steps, rates);
  lr_->setData(planPreview_, steps, rates);
}

void TrainingPlots::setCurrentStep(double step) { lr_->setMarker(step); }

void TrainingPlots::setPerScaleVisible(bool visible) {
  perScale_ = visible;
  {
    const QSignalBlocker block(perScaleBox_);
    perScaleBox_->setChecked(visible);
  }
  for (const RunSeries& r : runs_) {
    for (int id : r.perScale) loss_->setSeriesVisible(id, visible);
  }
}

}  // namespace yolo::ui
