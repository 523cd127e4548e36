#include "ui/plots/plot_panel.h"

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>
#include <QSaveFile>
#include <QSlider>
#include <QTextStream>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/plots/qcp.h"

namespace yolo::ui {

namespace {
constexpr int kRedrawIntervalMs = 100;  // ~10 Hz: smooth to the eye, cheap for the CPU
constexpr int kSmoothSteps = 100;       // slider resolution; weight = value / 100 (max 0.99)
constexpr int kClickSlopPixels = 3;     // a press and release this close is a click, not a drag
constexpr double kPointPickRadiusPixels = 10;  // a click this close to a point picks it

QColor faint(QColor c) {
  c.setAlpha(60);
  return c;
}
}  // namespace

PlotPanel::PlotPanel(const QString& title, const QString& xLabel, const QString& yLabel,
                     QWidget* parent)
    : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(2);
  buildToolbar(title);

  plot_ = new QCustomPlot(this);
  plot_->setObjectName(QStringLiteral("plot"));
  plot_->setMinimumHeight(160);
  plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
  plot_->setNoAntialiasingOnDrag(true);
  plot_->xAxis->setLabel(xLabel);
  plot_->yAxis->setLabel(yLabel);
  plot_->legend->setVisible(false);  // shown by redrawNow() once a series is added
  plot_->legend->setFont(font());
  plot_->legend->setBrush(QColor(255, 255, 255, 200));
  plot_->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  layout->addWidget(plot_, 1);

  marker_ = new QCPItemLine(plot_);
  marker_->setPen(QPen(QColor(220, 38, 38), 1.5, Qt::DashLine));
  marker_->start->setTypeY(QCPItemPosition::ptAxisRectRatio);
  marker_->end->setTypeY(QCPItemPosition::ptAxisRectRatio);
  marker_->setVisible(false);

  // Once the user drags or zooms, stop refitting the axes under their hands.
  connect(plot_, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
    followData_ = false;
    pressedAt_ = event->position();
  });
  connect(plot_, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* event) {
    if ((event->position() - pressedAt_).manhattanLength() <= kClickSlopPixels)
      clickAt(event->position());
  });
  connect(plot_, &QCustomPlot::mouseWheel, this, [this] { followData_ = false; });
  connect(plot_, &QCustomPlot::mouseDoubleClick, this, [this] { resetView(); });

  redrawTimer_.setInterval(kRedrawIntervalMs);
  connect(&redrawTimer_, &QTimer::timeout, this, [this] {
    if (dirty_) redrawNow();
  });
  redrawTimer_.start();
}

PlotPanel::~PlotPanel() = default;

void PlotPanel::clickAt(const QPointF& pixel) {
  int best = -1;
  double bestX = 0, bestY = 0;
  double bestDistance = kPointPickRadiusPixels * kPointPickRadiusPixels;
  for (int id = 0; id < seriesCount(); ++id) {
    const Series& s = *series_[id];
    if (s.removed || !s.visible) continue;
    for (int i = 0; i < s.x.size(); ++i) {
      const double dx = plot_->xAxis->coordToPixel(s.x[i]) - pixel.x();
      const double dy = plot_->yAxis->coordToPixel(s.y[i]) - pixel.y();
      if (dx * dx + dy * dy < bestDistance) {
        bestDistance = dx * dx + dy * dy;
        best = id;
        bestX = s.x[i];
        bestY = s.y[i];
      }
    }
  }
  if (best >= 0) Q_EMIT pointClicked(best, bestX, bestY);
}

void PlotPanel::buildToolbar(const QString& title) {
  auto* bar = new QHBoxLayout;
  bar->setContentsMargins(4, 0, 4, 0);
  auto* heading = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()), this);
  bar->addWidget(heading);
  bar->addStretch(1);

  smoothBox_ = new QWidget(this);
  auto* smoothLayout = new QHBoxLayout(smoothBox_);
  smoothLayout->setContentsMargins(0, 0, 0, 0);
  smoothLayout->addWidget(new QLabel(tr("Smoothing"), smoothBox_));
  smoothSlider_ = new QSlider(Qt::Horizontal, smoothBox_);
  smoothSlider_->setObjectName(QStringLiteral("smoothing"));
  smoothSlider_->setRange(0, kSmoothSteps - 1);
  smoothSlider_->setFixedWidth(110);
  smoothSlider_->setToolTip(tr("Exponential moving average of the training curves"));
  smoothLayout->addWidget(smoothSlider_);
  smoothLabel_ = new QLabel(QStringLiteral("0.00"), smoothBox_);
  smoothLabel_->setMinimumWidth(
      smoothLabel_->fontMetrics().horizontalAdvance(QStringLiteral("0.000")));
  smoothLayout->addWidget(smoothLabel_);
  connect(smoothSlider_, &QSlider::valueChanged, this,
          [this](int v) { setSmoothing(static_cast<double>(v) / kSmoothSteps); });
  bar->addWidget(smoothBox_);

  logBox_ = new QCheckBox(tr("Log"), this);
  logBox_->setObjectName(QStringLiteral("logScale"));
  logBox_->setToolTip(tr("Logarithmic value axis"));
  connect(logBox_, &QCheckBox::toggled, this, &PlotPanel::setLogScale);
  bar->addWidget(logBox_);

  auto addButton = [&](const QString& text, const QString& tip, auto slot) {
    auto* button = new QToolButton(this);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    connect(button, &QToolButton::clicked, this, slot);
    bar->addWidget(button);
  };
  addButton(tr("Reset"), tr("Fit the view to the data and follow new points (double-click)"),
            [this] { resetView(); });
  addButton(tr("CSV…"), tr("Export the plotted data as CSV"), [this] { exportCsvInteractive(); });
  addButton(tr("PNG…"), tr("Export the plot as a PNG picture"), [this] { exportPngInteractive(); });

  static_cast<QVBoxLayout*>(layout())->addLayout(bar);
}

int PlotPanel::addSeries(const QString& name, const QColor& color, Style style, Qt::PenStyle pen,
                         bool smoothable) {
  auto s = std::make_unique<Series>();
  s->name = name;
  s->smoothable = smoothable;
  s->ema = EmaSmoother(smoothable ? smoothing_ : 0.0);

  auto configure = [&](QCPGraph* graph, const QColor& c, double width) {
    graph->setPen(QPen(c, width, pen));
    graph->setAdaptiveSampling(true);
    if (style == Style::Markers || style == Style::LineAndMarkers) {
      graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 6));
    }
    if (style == Style::Markers) graph->setLineStyle(QCPGraph::lsNone);
  };
  if (smoothable) {
    s->raw = plot_->addGraph();
    configure(s->raw, faint(color), 1.0);
    s->raw->removeFromLegend();
    s->raw->setVisible(smoothing_ > 0);
  }
  s->drawn = plot_->addGraph();
  configure(s->drawn, color, 1.6);
  s->drawn->setName(name);
  series_.push_back(std::move(s));
  dirty_ = true;
  return static_cast<int>(series_.size()) - 1;
}

void PlotPanel::append(int series, double x, double y) {
  if (series < 0 || series >= seriesCount() || series_[series]->removed) return;
  Series& s = *series_[series];
  if (!s.x.isEmpty() && x <= s.x.back()) {
    // The run went back (resumed from a checkpoint, rolled back after NaNs): the new points
    // replace the ones from that step on.
    const auto from = std::lower_bound(s.x.begin(), s.x.end(), x) - s.x.begin();
    s.x.resize(from);
    s.y.resize(from);
    s.needsRebuild = true;
  }
  s.x.push_back(x);
  s.y.push_back(y);
  dirty_ = true;
}

void PlotPanel::setData(int series, const QVector<double>& x, const QVector<double>& y) {
  if (series < 0 || series >= seriesCount() || series_[series]->removed) return;
  Series& s = *series_[series];
  s.x = x;
  s.y = y;
  rebuildSmoothed(s);
  dirty_ = true;
}

void PlotPanel::setSeriesVisible(int series, bool visible) {
  if (series < 0 || series >= seriesCount() || series_[series]->removed) return;
  Series& s = *series_[series];
  s.visible = visible;
  s.drawn->setVisible(visible);
  if (visible) {
    s.drawn->addToLegend();
  } else {
    s.drawn->removeFromLegend();
  }
  if (s.raw) s.raw->setVisible(visible && smoothing_ > 0);
  dirty_ = true;
}

bool PlotPanel::seriesVisible(int series) const {
  return series >= 0 && series < seriesCount() && series_[series]->visible;
}

void PlotPanel::clear() {
  plot_->clearGraphs();
  series_.clear();
  marker_->setVisible(false);
  followData_ = true;
  dirty_ = true;
}

void PlotPanel::removeSeries(int series) {
  if (series < 0 || series >= seriesCount() || series_[series]->removed) return;
  Series& s = *series_[series];
  if (s.raw) plot_->removeGraph(s.raw);
  plot_->removeGraph(s.drawn);
  s.raw = s.drawn = nullptr;
  s.x.clear();
  s.y.clear();
  s.flushed = 0;
  s.visible = false;
  s.needsRebuild = false;
  s.removed = true;
  dirty_ = true;
}

void PlotPanel::renameSeries(int series, const QString& name) {
  if (series < 0 || series >= seriesCount() || series_[series]->removed) return;
  series_[series]->name = name;
  series_[series]->drawn->setName(name);
  dirty_ = true;
}

bool PlotPanel::seriesRemoved(int series) const {
  return series >= 0 && series < seriesCount() && series_[series]->removed;
}

QString PlotPanel::seriesName(int series) const {
  return series >= 0 && series < seriesCount() ? series_[series]->name : QString();
}

int PlotPanel::pointCount(int series) const {
  return series >= 0 && series < seriesCount() ? static_cast<int>(series_[series]->x.size()) : 0;
}

QVector<double> PlotPanel::drawnValues(int series) const {
  QVector<double> out;
  if (series < 0 || series >= seriesCount() || series_[series]->removed) return out;
  const auto data = series_[series]->drawn->data();
  out.reserve(data->size());
  for (auto it = data->constBegin(); it != data->constEnd(); ++it) out.push_back(it->value);
  return out;
}

void PlotPanel::setMarker(double x) {
  const bool show = std::isfinite(x);
  if (show) {
    marker_->start->setCoords(x, 0.0);
    marker_->end->setCoords(x, 1.0);
  }
  if (show != marker_->visible() || show) dirty_ = true;
  marker_->setVisible(show);
}

void PlotPanel::setSmoothing(double weight) {
  weight = std::clamp(weight, 0.0, 0.99);
  if (std::abs(weight - smoothing_) < 1e-9) return;
  smoothing_ = weight;
  {
    const QSignalBlocker block(smoothSlider_);
    smoothSlider_->setValue(static_cast<int>(std::lround(weight * kSmoothSteps)));
  }
  smoothLabel_->setText(QString::number(weight, 'f', 2));
  for (auto& s : series_) {
    if (!s->smoothable || s->removed) continue;
    s->ema = EmaSmoother(weight);
    rebuildSmoothed(*s);
    if (s->raw) s->raw->setVisible(s->visible && weight > 0);
  }
  dirty_ = true;
  Q_EMIT smoothingChanged(weight);
}

void PlotPanel::setSmoothingControlVisible(bool visible) { smoothBox_->setVisible(visible); }

void PlotPanel::setLogScale(bool on) {
  if (on == logScale_) return;
  logScale_ = on;
  {
    const QSignalBlocker block(logBox_);
    logBox_->setChecked(on);
  }
  if (on) {
    plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    plot_->yAxis->setNumberFormat(QStringLiteral("eb"));
    plot_->yAxis->setNumberPrecision(0);
  } else {
    plot_->yAxis->setScaleType(QCPAxis::stLinear);
    plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    plot_->yAxis->setNumberFormat(QStringLiteral("gb"));
    plot_->yAxis->setNumberPrecision(6);
  }
  fitAxes();
  dirty_ = true;
  Q_EMIT logScaleChanged(on);
}

void PlotPanel::resetView() {
  followData_ = true;
  flushPending();
  fitAxes();
  plot_->replot();
}

void PlotPanel::rebuildSmoothed(Series& s) {
  // Everything is handed over again: used when the smoothing weight or the whole data changes.
  s.ema.reset();
  QVector<double> values;
  values.reserve(s.y.size());
  for (double v : s.y) values.push_back(s.smoothable ? s.ema.push(v) : v);
  s.drawn->setData(s.x, values, /*alreadySorted=*/true);
  if (s.raw) s.raw->setData(s.x, s.y, /*alreadySorted=*/true);
  s.flushed = static_cast<int>(s.x.size());
  s.needsRebuild = false;
}

void PlotPanel::flushPending() {
  for (auto& s : series_) {
    if (s->removed) continue;
    if (s->needsRebuild) {
      rebuildSmoothed(*s);
      continue;
    }
    const int n = static_cast<int>(s->x.size());
    if (s->flushed >= n) continue;
    const int count = n - s->flushed;
    QVector<double> keys = s->x.mid(s->flushed, count);
    QVector<double> raw = s->y.mid(s->flushed, count);
    QVector<double> values;
    values.reserve(count);
    for (double v : raw) values.push_back(s->smoothable ? s->ema.push(v) : v);
    s->drawn->addData(keys, values, /*alreadySorted=*/true);
    if (s->raw) s->raw->addData(keys, raw, /*alreadySorted=*/true);
    s->flushed = n;
  }
}

void PlotPanel::fitAxes() {
  bool first = true;
  for (auto& s : series_) {
    if (s->removed || !s->visible || s->drawn->dataCount() == 0) continue;
    s->drawn->rescaleAxes(/*onlyEnlarge=*/!first);
    if (s->raw && s->raw->visible()) s->raw->rescaleAxes(/*onlyEnlarge=*/true);
    first = false;
  }
  if (first) return;
  if (logScale_) {
    plot_->yAxis->scaleRange(1.15);
  } else {
    const QCPRange r = plot_->yAxis->range();
    const double pad = std::max(r.size() * 0.05, 1e-12);
    plot_->yAxis->setRange(r.lower - pad, r.upper + pad);
  }
}

void PlotPanel::redrawNow() {
  flushPending();
  plot_->legend->setVisible(plot_->legend->itemCount() > 0);  // no empty box before data
  if (followData_) fitAxes();
  plot_->replot(QCustomPlot::rpQueuedReplot);
  dirty_ = false;
}

bool PlotPanel::exportCsv(const QString& path, QString* error) const {
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  QTextStream out(&file);
  out.setRealNumberPrecision(10);
  out << "series,x,y,smoothed\n";
  for (const auto& s : series_) {
    if (s->removed) continue;
    const QVector<double> smooth = s->smoothable ? smoothed(s->y, smoothing_) : s->y;
    QString name = s->name;
    if (name.contains(QLatin1Char(',')) || name.contains(QLatin1Char('"'))) {
      name = QLatin1Char('"') + name.replace(QLatin1Char('"'), QStringLiteral("\"\"")) +
             QLatin1Char('"');
    }
    for (int i = 0; i < s->x.size(); ++i) {
      out << name << ',' << s->x[i] << ',' << s->y[i] << ',' << smooth[i] << '\n';
    }
  }
  out.flush();
  if (!file.commit()) {
    if (error) *error = tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
  }
  return true;
}

bool PlotPanel::exportPng(const QString& path, int width, int height) {
  redrawNow();
  return plot_->savePng(path, width, height);
}

void PlotPanel::exportCsvInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export plot data"), QString(),
                                                    tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  QString error;
  if (!exportCsv(path, &error)) QMessageBox::warning(this, tr("Export failed"), error);
}

void PlotPanel::exportPngInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, tr("Export plot picture"), QString(),
                                                    tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  if (!exportPng(path)) {
    QMessageBox::warning(this, tr("Export failed"), tr("Cannot write %1.").arg(path));
  }
}

}  // namespace yolo::ui
