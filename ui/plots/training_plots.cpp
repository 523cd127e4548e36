#include "ui/plots/training_plots.h"

#include <QCheckBox>
#include <QSplitter>
#include <QVBoxLayout>

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

QString TrainingPlots::seriesName(const QString& base, int run) const {
  const QString& label = runs_[run].label;
  return label.isEmpty() || runs_.size() == 1 ? base : QStringLiteral("%1 · %2").arg(base, label);
}

int TrainingPlots::addRun(const QString& label) {
  const int run = static_cast<int>(runs_.size());
  runs_.push_back(RunSeries{});
  RunSeries& r = runs_.back();
  r.label = label;
  const Qt::PenStyle pen = runPen(run);
  using S = PlotPanel::Style;
  r.total = loss_->addSeries(seriesName(tr("total"), run), runColor(kTotal, run), S::Line, pen);
  r.giou = loss_->addSeries(seriesName(tr("giou"), run), runColor(kGiou, run), S::Line, pen);
  r.conf = loss_->addSeries(seriesName(tr("conf"), run), runColor(kConf, run), S::Line, pen);
  r.prob = loss_->addSeries(seriesName(tr("prob"), run), runColor(kProb, run), S::Line, pen);
  auto val = [&](const QString& name, const QColor& c) {
    return loss_->addSeries(seriesName(name, run), runColor(c, run), S::LineAndMarkers, pen,
                            /*smoothable=*/false);
  };
  r.valTotal = val(tr("val total"), kTotal);
  r.valGiou = val(tr("val giou"), kGiou);
  r.valConf = val(tr("val conf"), kConf);
  r.valProb = val(tr("val prob"), kProb);
  r.lrPlanned = lr_->addSeries(seriesName(tr("planned"), run), runColor(kLr, run).lighter(160),
                               S::Line, pen, /*smoothable=*/false);
  r.lr = lr_->addSeries(seriesName(tr("lr"), run), runColor(kLr, run), S::Line, pen,
                        /*smoothable=*/false);
  r.map = map_->addSeries(seriesName(tr("mAP@0.5"), run), runColor(kMap, run), S::LineAndMarkers,
                          pen, /*smoothable=*/false);
  return run;
}

void TrainingPlots::clearRuns() {
  runs_.clear();
  loss_->clear();
  lr_->clear();
  map_->clear();
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
      const int id =
          loss_->addSeries(seriesName(QStringLiteral("%1 s%2").arg(names[part]).arg(s), run), c,
                           PlotPanel::Style::Line, Qt::DotLine);
      loss_->setSeriesVisible(id, perScale_);
      r.perScale.push_back(id);
    }
  }
}

void TrainingPlots::addStep(int run, const StepRecord& rec) {
  if (run < 0 || run >= runCount()) return;
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
  if (run < 0 || run >= runCount()) return;
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
  if (run < 0 || run >= runCount()) return;
  QVector<double> steps, rates;
  sampleLrCurve(schedule, steps, rates);
  lr_->setData(runs_[run].lrPlanned, steps, rates);
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
