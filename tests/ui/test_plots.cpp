// PlotPanel, the smoothing, the planned LR curve and the overlaid training plots.

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "ui/plots/lr_curve.h"
#include "ui/plots/plot_panel.h"
#include "ui/plots/qcp.h"
#include "ui/plots/smoothing.h"
#include "ui/plots/training_plots.h"

using yolo::ui::PlotPanel;

class TestPlots : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void pointsAppearAfterRedraw() {
    PlotPanel panel(QStringLiteral("Losses"), QStringLiteral("step"), QStringLiteral("loss"));
    const int a = panel.addSeries(QStringLiteral("total"), Qt::black);
    panel.append(a, 1, 1.0);
    panel.append(a, 2, 3.0);
    panel.append(a, 3, 5.0);
    QCOMPARE(panel.pointCount(a), 3);
    QVERIFY(panel.drawnValues(a).isEmpty());       // not drawn before the timer fires
    QTRY_COMPARE(panel.drawnValues(a).size(), 3);  // the ~10 Hz redraw timer picks them up
    QCOMPARE(panel.drawnValues(a), (QVector<double>{1.0, 3.0, 5.0}));
  }

  void smoothingIsDebiasedEma() {
    PlotPanel panel(QStringLiteral("Losses"), QStringLiteral("step"), QStringLiteral("loss"));
    const int a = panel.addSeries(QStringLiteral("total"), Qt::black);
    const int fixed = panel.addSeries(QStringLiteral("val"), Qt::red, PlotPanel::Style::Markers,
                                      Qt::SolidLine, /*smoothable=*/false);
    const double values[] = {1.0, 3.0, 5.0};
    for (int i = 0; i < 3; ++i) {
      panel.append(a, i + 1, values[i]);
      panel.append(fixed, i + 1, values[i]);
    }
    QSignalSpy spy(&panel, &PlotPanel::smoothingChanged);
    panel.setSmoothing(0.5);
    QCOMPARE(spy.count(), 1);
    panel.redrawNow();
    const QVector<double> drawn = panel.drawnValues(a);
    QCOMPARE(drawn.size(), 3);
    // By hand: 0.5 -> 1; 1.75/0.75; 3.375/0.875.
    QVERIFY(std::abs(drawn[0] - 1.0) < 1e-12);
    QVERIFY(std::abs(drawn[1] - 1.75 / 0.75) < 1e-12);
    QVERIFY(std::abs(drawn[2] - 3.375 / 0.875) < 1e-12);
    QCOMPARE(panel.drawnValues(fixed), (QVector<double>{1.0, 3.0, 5.0}));

    // Points added after the change continue the same average.
    panel.append(a, 4, 7.0);
    panel.redrawNow();
    const QVector<double> whole = yolo::ui::smoothed({1.0, 3.0, 5.0, 7.0}, 0.5);
    QVERIFY(std::abs(panel.drawnValues(a)[3] - whole[3]) < 1e-12);

    panel.setSmoothing(0.0);
    panel.redrawNow();
    QCOMPARE(panel.drawnValues(a), (QVector<double>{1.0, 3.0, 5.0, 7.0}));
  }

  void goingBackReplacesLaterPoints() {
    PlotPanel panel(QStringLiteral("Losses"), QStringLiteral("step"), QStringLiteral("loss"));
    const int a = panel.addSeries(QStringLiteral("total"), Qt::black);
    for (int i = 1; i <= 5; ++i) panel.append(a, i, 10.0 * i);
    panel.redrawNow();
    panel.append(a, 3, -1.0);  // resumed from the checkpoint of step 2
    panel.redrawNow();
    QCOMPARE(panel.pointCount(a), 3);
    QCOMPARE(panel.drawnValues(a), (QVector<double>{10.0, 20.0, -1.0}));
  }

  void manyPointsStayCheap() {
    PlotPanel panel(QStringLiteral("Losses"), QStringLiteral("step"), QStringLiteral("loss"));
    panel.resize(800, 300);
    const int a = panel.addSeries(QStringLiteral("total"), Qt::black);
    for (int i = 1; i <= 50000; ++i) panel.append(a, i, 1.0 / i);
    panel.setSmoothing(0.9);
    panel.redrawNow();
    QCOMPARE(panel.drawnValues(a).size(), 50000);
  }

  void logScaleToggles() {
    PlotPanel panel(QStringLiteral("LR"), QStringLiteral("step"), QStringLiteral("lr"));
    QSignalSpy spy(&panel, &PlotPanel::logScaleChanged);
    panel.setLogScale(true);
    QVERIFY(panel.logScale());
    QCOMPARE(spy.count(), 1);
    panel.setLogScale(true);
    QCOMPARE(spy.count(), 1);
  }

  void csvExportHasEveryPoint() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    PlotPanel panel(QStringLiteral("Losses"), QStringLiteral("step"), QStringLiteral("loss"));
    const int a = panel.addSeries(QStringLiteral("total"), Qt::black);
    const int b = panel.addSeries(QStringLiteral("val, total"), Qt::red);
    panel.append(a, 1, 2.5);
    panel.append(a, 2, 1.5);
    panel.append(b, 2, 4.0);
    const QString path = dir.filePath(QStringLiteral("plot.csv"));
    QString error;
    QVERIFY2(panel.exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    const QStringList lines =
        QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QStringLiteral("series,x,y,smoothed"));
    QCOMPARE(lines[1], QStringLiteral("total,1,2.5,2.5"));
    QCOMPARE(lines[2], QStringLiteral("total,2,1.5,1.5"));
    QCOMPARE(lines[3], QStringLiteral("\"val, total\",2,4,4"));

    QVERIFY(!panel.exportCsv(dir.filePath(QStringLiteral("missing/dir/plot.csv")), &error));
    QVERIFY(!error.isEmpty());
  }

  void pngExportWritesAPicture() {
    QTemporaryDir dir;
    PlotPanel panel(QStringLiteral("Losses"), QStringLiteral("step"), QStringLiteral("loss"));
    const int a = panel.addSeries(QStringLiteral("total"), Qt::black);
    panel.append(a, 1, 1);
    panel.append(a, 2, 2);
    const QString path = dir.filePath(QStringLiteral("plot.png"));
    QVERIFY(panel.exportPng(path, 400, 300));
    const QImage image(path);
    QCOMPARE(image.size(), QSize(400, 300));
  }

  void plannedLrCurveFollowsTheSchedule() {
    yolo::train::LrSchedule schedule;
    schedule.lrInit = 1e-3;
    schedule.lrEnd = 1e-5;
    schedule.warmupSteps = 10;
    schedule.totalSteps = 100;
    QVector<double> steps, rates;
    yolo::ui::sampleLrCurve(schedule, steps, rates);
    QCOMPARE(steps.size(), 100);
    QCOMPARE(steps.front(), 1.0);
    QCOMPARE(steps.back(), 100.0);
    QVERIFY(rates[0] > 0 && rates[0] < 1e-3);    // warming up
    QVERIFY(std::abs(rates[9] - 1e-3) < 1e-12);  // peak at the end of warm-up
    for (int i = 10; i < rates.size(); ++i) QVERIFY(rates[i] <= rates[i - 1] + 1e-15);
    QVERIFY(std::abs(rates.back() - 1e-5) < 1e-6);

    // A long run is thinned but keeps the warm-up peak and the last step.
    schedule.warmupSteps = 777;
    schedule.totalSteps = 100000;
    yolo::ui::sampleLrCurve(schedule, steps, rates, 500);
    QVERIFY(steps.size() < 600);
    QVERIFY(steps.contains(777.0));
    QCOMPARE(steps.back(), 100000.0);
  }

  void clickingAnMapPointNamesItsRunAndEpoch() {
    yolo::ui::TrainingPlots plots;
    plots.resize(600, 900);
    plots.show();
    QVERIFY(QTest::qWaitForWindowExposed(&plots));
    const int first = plots.addRun(QStringLiteral("run-a"));
    const int second = plots.addRun(QStringLiteral("run-b"));
    for (int e = 1; e <= 4; ++e) {
      yolo::ui::EpochRecord epoch;
      epoch.epoch = e;
      epoch.step = 10 * e;
      epoch.map50 = 0.2 * e;
      plots.addEpoch(second, epoch);
    }
    PlotPanel* panel = plots.mapPanel();
    panel->redrawNow();
    QSignalSpy clicked(&plots, &yolo::ui::TrainingPlots::mapPointClicked);
    QCustomPlot* plot = panel->findChild<QCustomPlot*>(QStringLiteral("plot"));
    QVERIFY(plot);
    const QPoint onThird(static_cast<int>(plot->xAxis->coordToPixel(3)),
                         static_cast<int>(plot->yAxis->coordToPixel(0.6)));
    QTest::mouseClick(plot, Qt::LeftButton, {}, onThird);
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), second);
    QCOMPARE(clicked.at(0).at(1).toInt(), 3);
    // Far from every point: nothing. A drag is not a click.
    QTest::mouseClick(plot, Qt::LeftButton, {}, onThird + QPoint(0, 60));
    QTest::mousePress(plot, Qt::LeftButton, {}, onThird);
    QTest::mouseRelease(plot, Qt::LeftButton, {}, onThird + QPoint(30, 0));
    QCOMPARE(clicked.count(), 1);
    Q_UNUSED(first);
  }

  void runsOverlay() {
    yolo::ui::TrainingPlots plots;
    const int first = plots.addRun(QStringLiteral("run-a"));
    const int perRun = plots.lossPanel()->seriesCount();
    QCOMPARE(perRun, 8);  // 4 train + 4 validation
    const int second = plots.addRun(QStringLiteral("run-b"));
    QCOMPARE(plots.lossPanel()->seriesCount(), 2 * perRun);
    QVERIFY(plots.lossPanel()->seriesName(perRun).contains(QStringLiteral("run-b")));

    yolo::ui::StepRecord step;
    step.step = 1;
    step.lr = 1e-4;
    step.total = 10;
    step.giou = 4;
    step.conf = 5;
    step.prob = 1;
    step.giouPerScale = {1, 2, 1};
    step.confPerScale = {2, 2, 1};
    step.probPerScale = {0.5, 0.25, 0.25};
    plots.addStep(first, step);
    step.step = 2;
    plots.addStep(first, step);
    yolo::ui::EpochRecord epoch;
    epoch.epoch = 1;
    epoch.step = 2;
    epoch.valTotal = 9;
    epoch.map50 = 0.25;
    plots.addEpoch(second, epoch);

    QCOMPARE(plots.lossPanel()->pointCount(0), 2);           // run-a total
    QCOMPARE(plots.lossPanel()->pointCount(perRun), 0);      // run-b total
    QCOMPARE(plots.lossPanel()->pointCount(perRun + 4), 1);  // run-b val total
    QCOMPARE(plots.mapPanel()->pointCount(1), 1);            // run-b mAP
    // Per-scale series were created on demand, hidden until asked for.
    QCOMPARE(plots.lossPanel()->seriesCount(), 2 * perRun + 9);
    QVERIFY(!plots.lossPanel()->seriesVisible(2 * perRun));
    plots.setPerScaleVisible(true);
    QVERIFY(plots.lossPanel()->seriesVisible(2 * perRun));

    plots.clearRuns();
    QCOMPARE(plots.runCount(), 0);
    QCOMPARE(plots.lossPanel()->seriesCount(), 0);
  }
};

QTEST_MAIN(TestPlots)
#include "test_plots.moc"
