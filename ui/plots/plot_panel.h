#pragma once
// One QCustomPlot with the controls every workbench plot shares: smoothing, log scale,
// zoom/pan with the mouse, reset view, CSV and PNG export. Points are appended cheaply from
// any signal handler; the panel redraws from a ~10 Hz timer, so a run with tens of
// thousands of steps stays smooth.

#include <QColor>
#include <QPointF>
#include <QString>
#include <QTimer>
#include <QVector>
#include <QWidget>

#include <memory>
#include <vector>

#include "ui/plots/smoothing.h"

class QCustomPlot;
class QCPGraph;
class QCPItemLine;
class QCheckBox;
class QSlider;
class QLabel;

namespace yolo::ui {

class PlotPanel : public QWidget {
  Q_OBJECT

 public:
  enum class Style { Line, Markers, LineAndMarkers };

  explicit PlotPanel(const QString& title, const QString& xLabel, const QString& yLabel,
                     QWidget* parent = nullptr);
  ~PlotPanel() override;

  /// A new series; `smoothable` series follow the smoothing control (raw drawn faintly).
  int addSeries(const QString& name, const QColor& color, Style style = Style::Line,
                Qt::PenStyle pen = Qt::SolidLine, bool smoothable = true);
  /// Appends one point. An x at or before the series' last one replaces the points from
  /// that x on (a resumed or rolled-back run).
  void append(int series, double x, double y);
  /// Replaces a series' points (a planned schedule).
  void setData(int series, const QVector<double>& x, const QVector<double>& y);
  void setSeriesVisible(int series, bool visible);
  bool seriesVisible(int series) const;
  /// Removes every series and marker.
  void clear();
  /// Takes one series off the plot (graphs and legend entry); the other series keep their
  /// ids, and calls naming a removed series do nothing.
  void removeSeries(int series);
  bool seriesRemoved(int series) const;
  /// The name in the legend and the CSV.
  void renameSeries(int series, const QString& name);

  int seriesCount() const { return static_cast<int>(series_.size()); }
  QString seriesName(int series) const;
  int pointCount(int series) const;
  /// The values as drawn (smoothed when smoothing is on), after the next redraw.
  QVector<double> drawnValues(int series) const;

  /// A vertical line at x (the current step); NaN hides it.
  void setMarker(double x);

  double smoothing() const { return smoothing_; }
  void setSmoothing(double weight);
  void setSmoothingControlVisible(bool visible);
  bool logScale() const { return logScale_; }
  void setLogScale(bool on);

  /// Fits the axes to the data and follows new points again.
  void resetView();
  /// Pushes pending points to the plot and replots now (the timer does this ~10x a second).
  void redrawNow();

  /// Long format: series,x,y,smoothed. Returns false with *error set on failure.
  bool exportCsv(const QString& path, QString* error = nullptr) const;
  bool exportPng(const QString& path, int width = 0, int height = 0);

  QCustomPlot* plot() const { return plot_; }

 Q_SIGNALS:
  /// A click (a press and release without a drag) within a few pixels of a point of a
  /// shown series: that point's values.
  void pointClicked(int series, double x, double y);
  void smoothingChanged(double weight);
  void logScaleChanged(bool on);

 private:
  struct Series {
    QString name;
    QCPGraph* raw = nullptr;    // faint raw values, shown when smoothing
    QCPGraph* drawn = nullptr;  // smoothed (or raw when smoothing is off)
    QVector<double> x, y;
    int flushed = 0;  // points already handed to the graphs
    EmaSmoother ema;
    bool smoothable = true;
    bool visible = true;
    bool needsRebuild = false;  // points were replaced, not only appended
    bool removed = false;       // graphs deleted; the slot stays so ids remain stable
  };

  void buildToolbar(const QString& title);
  /// Emits pointClicked for the shown point nearest `pixel`, if one is close enough.
  void clickAt(const QPointF& pixel);
  void rebuildSmoothed(Series& s);
  void flushPending();
  void fitAxes();
  void exportCsvInteractive();
  void exportPngInteractive();

  QCustomPlot* plot_ = nullptr;
  QCPItemLine* marker_ = nullptr;
  QSlider* smoothSlider_ = nullptr;
  QLabel* smoothLabel_ = nullptr;
  QWidget* smoothBox_ = nullptr;
  QCheckBox* logBox_ = nullptr;
  std::vector<std::unique_ptr<Series>> series_;
  QTimer redrawTimer_;
  bool dirty_ = false;
  bool followData_ = true;
  QPointF pressedAt_;  ///< where the last mouse press was, to tell a click from a drag
  double smoothing_ = 0.0;
  bool logScale_ = false;
};

}  // namespace yolo::ui
