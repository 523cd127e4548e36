// TrainView's comparison of runs: run folders opened over each other are listed, and one can
// be taken off the plots (its curves and legend entries go, it is no longer followed) while
// the others stay as they were.

#include <QDir>
#include <QFile>
#include <QListWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/plots/plot_panel.h"
#include "ui/plots/qcp.h"
#include "ui/plots/training_plots.h"
#include "ui/train/train_view.h"

using yolo::ui::TrainView;

namespace {

void appendSteps(const QString& runDir, int from, int to) {
  QDir().mkpath(runDir);
  QFile file(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")));
  QVERIFY(file.open(QIODevice::Append));
  for (int s = from; s <= to; ++s) {
    file.write(QStringLiteral("{\"type\":\"step\",\"step\":%1,\"epoch\":0,\"lr\":0.001,"
                              "\"total_loss\":%2,\"giou_loss\":1,\"conf_loss\":1,\"prob_loss\":1}\n")
                   .arg(s)
                   .arg(10.0 / s)
                   .toUtf8());
  }
}

QStringList legendNames(yolo::ui::PlotPanel* panel) {
  QStringList names;
  QCustomPlot* plot = panel->plot();
  for (int i = 0; i < plot->legend->itemCount(); ++i) {
    if (auto* item = qobject_cast<QCPPlottableLegendItem*>(plot->legend->item(i)))
      names << item->plottable()->name();
  }
  return names;
}

bool anyContains(const QStringList& names, const QString& part) {
  for (const QString& n : names)
    if (n.contains(part)) return true;
  return false;
}

}  // namespace

class TestTrainView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void oneOverlaidRunCanBeRemoved() {
    QTemporaryDir dir;
    const QString alpha = dir.filePath(QStringLiteral("alpha"));
    const QString beta = dir.filePath(QStringLiteral("beta"));
    appendSteps(alpha, 1, 20);
    appendSteps(beta, 1, 30);

    TrainView view;
    view.show();
    view.openRunFolder(alpha);
    view.openRunFolder(beta);
    yolo::ui::TrainingPlots* plots = view.plots();
    QCOMPARE(plots->runCount(), 2);
    QCOMPARE(view.runList()->count(), 2);
    QCOMPARE(view.runList()->item(0)->text(), QStringLiteral("alpha"));
    QCOMPARE(view.runList()->item(1)->text(), QStringLiteral("beta"));
    plots->lossPanel()->redrawNow();
    // While two runs overlay, every legend entry says which run it is.
    QVERIFY(legendNames(plots->lossPanel()).contains(QStringLiteral("total · alpha")));
    QVERIFY(legendNames(plots->lossPanel()).contains(QStringLiteral("total · beta")));
    const int graphsBefore = plots->lossPanel()->plot()->graphCount();
    const int lrGraphsBefore = plots->lrPanel()->plot()->graphCount();

    // Through the list and its button, as a user does.
    auto* remove = view.findChild<QPushButton*>(QStringLiteral("removeRun"));
    QVERIFY(remove);
    QVERIFY(!remove->isEnabled());  // nothing selected yet
    view.runList()->setCurrentRow(0);
    QVERIFY(remove->isEnabled());
    remove->click();

    QCOMPARE(view.runList()->count(), 1);
    QCOMPARE(view.runList()->item(0)->text(), QStringLiteral("beta"));
    QVERIFY(!plots->hasRun(0));
    QVERIFY(plots->hasRun(1));
    plots->lossPanel()->redrawNow();
    const QStringList legend = legendNames(plots->lossPanel());
    QVERIFY2(!anyContains(legend, QStringLiteral("alpha")), qPrintable(legend.join(", ")));
    QVERIFY(legend.contains(QStringLiteral("total")));  // one run left: no run label needed
    QVERIFY(plots->lossPanel()->plot()->graphCount() < graphsBefore);
    QVERIFY(plots->lrPanel()->plot()->graphCount() < lrGraphsBefore);

    // beta is still followed and drawn; alpha's new lines reach no plot.
    int betaSeries = -1;
    for (int s = 0; s < plots->lossPanel()->seriesCount(); ++s) {
      if (!plots->lossPanel()->seriesRemoved(s) &&
          plots->lossPanel()->seriesName(s) == QStringLiteral("total"))
        betaSeries = s;
    }
    QVERIFY(betaSeries >= 0);
    QCOMPARE(plots->lossPanel()->pointCount(betaSeries), 30);
    appendSteps(alpha, 21, 25);
    appendSteps(beta, 31, 35);
    QTRY_COMPARE_WITH_TIMEOUT(plots->lossPanel()->pointCount(betaSeries), 35, 10000);
    for (int s = 0; s < plots->lossPanel()->seriesCount(); ++s) {
      if (plots->lossPanel()->seriesRemoved(s)) QCOMPARE(plots->lossPanel()->pointCount(s), 0);
    }

    // The last one goes too; then the list is empty and nothing is drawn.
    view.removePlottedRun(1);
    QCOMPARE(view.runList()->count(), 0);
    plots->lossPanel()->redrawNow();
    QCOMPARE(plots->lossPanel()->plot()->graphCount(), 0);
  }

  void clearPlotsEmptiesTheList() {
    QTemporaryDir dir;
    const QString gamma = dir.filePath(QStringLiteral("gamma"));
    appendSteps(gamma, 1, 5);
    TrainView view;
    view.openRunFolder(gamma);
    QCOMPARE(view.runList()->count(), 1);
    view.clearPlots();
    QCOMPARE(view.runList()->count(), 0);
  }
};

QTEST_MAIN(TestTrainView)
#include "test_train_view.moc"
