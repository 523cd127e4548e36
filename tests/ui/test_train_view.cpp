// TrainView's comparison of runs: run folders opened over each other are listed, and one can
// be taken off the plots (its curves and legend entries go, it is no longer followed) while
// the others stay as they were. The plan: drawn from the form before Start, and changed
// mid-run from the plan editor (previewed, then followed by the run from its next step).

#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "core/run/schedule_change.h"
#include "core/train/lr_schedule.h"
#include "tests/ui/support/squares_dataset.h"
#include "tests/ui/support/tiny_run_config.h"
#include "ui/plots/plot_panel.h"
#include "ui/plots/qcp.h"
#include "ui/plots/training_plots.h"
#include "ui/train/plan_editor.h"
#include "ui/train/run_config_form.h"
#include "ui/train/train_view.h"
#include "ui/train/training_session.h"

using yolo::ui::TrainView;

namespace {

void appendSteps(const QString& runDir, int from, int to) {
  QDir().mkpath(runDir);
  QFile file(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")));
  QVERIFY(file.open(QIODevice::Append));
  for (int s = from; s <= to; ++s) {
    file.write(
        QStringLiteral("{\"type\":\"step\",\"step\":%1,\"epoch\":0,\"lr\":0.001,"
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

  void thePlanIsDrawnBeforeStartAndAChangeMidRunMovesTheRateFromTheNextStep() {
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    yolo::test::writeSquaresDataset(data, 8, 2);
    yolo::run::RunConfig config = yolo::test::tinyRunConfig(data, /*epochs=*/40);
    config.warmupEpochs = 1;

    TrainView view;
    view.form()->setRunsRoot(dir.filePath(QStringLiteral("runs")));
    view.form()->setConfig(config);
    // Before Start: the form's plan, its images counted off the GUI thread.
    QTRY_VERIFY_WITH_TIMEOUT(view.plots()->hasPlanPreview(), 10000);
    QVERIFY(anyContains(legendNames(view.plots()->lrPanel()), QStringLiteral("plan: ")));

    QSignalSpy steps(view.session(), &yolo::ui::TrainingSession::step);
    QVERIFY(view.startTraining());
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 2, 120000);
    QVERIFY(!view.plots()->hasPlanPreview());  // the run's own planned curve instead
    auto* editor = view.planEditor();
    QVERIFY(editor->isVisible() || !view.isVisible());
    QVERIFY(editor->change().empty());

    // An edit is previewed; Apply sends it; the run follows it from its next step.
    editor->findChild<QSpinBox*>(QStringLiteral("planEpochs"))->setValue(60);
    auto* lrInit = editor->findChild<QLineEdit*>(QStringLiteral("planLrInit"));
    lrInit->setText(QStringLiteral("0.002"));
    Q_EMIT lrInit->textEdited(lrInit->text());
    QVERIFY(view.plots()->hasPlanPreview());
    QVERIFY(anyContains(legendNames(view.plots()->lrPanel()), QStringLiteral("new plan")));
    const qint64 askedAt = steps.last().at(0).value<yolo::ui::StepRecord>().step;
    QTest::mouseClick(editor->findChild<QPushButton*>(QStringLiteral("planApply")), Qt::LeftButton);
    // The run's answer, its schedule_adjusted event, in the log.
    QTRY_VERIFY_WITH_TIMEOUT(view.log()->toPlainText().contains(QStringLiteral("steps planned")),
                             60000);
    QVERIFY(view.log()->toPlainText().contains(QStringLiteral("epochs 40 -> 60")));
    QVERIFY(!view.plots()->hasPlanPreview());
    QVERIFY(editor->change().empty());
    QTRY_VERIFY_WITH_TIMEOUT(steps.last().at(0).value<yolo::ui::StepRecord>().step > askedAt + 1,
                             120000);
    view.stopTraining();
    QTRY_VERIFY_WITH_TIMEOUT(!view.session()->isActive(), 120000);

    const yolo::run::RunConfig saved = yolo::run::loadRunConfig(
        QDir(view.currentRunDir()).filePath(QStringLiteral("config.json")).toStdString());
    QCOMPARE(saved.epochs, 60);
    QCOMPARE(saved.lrInit, 0.002);
    // Every step logged the rate of the plan it ran under: the old one up to the change,
    // the new one after it (the change lands between two steps, after the one asked at).
    const qint64 stepsPerEpoch = steps.first().at(0).value<yolo::ui::StepRecord>().stepsPerEpoch;
    const auto before = yolo::train::scheduleFor(config, stepsPerEpoch);
    const auto after = yolo::train::scheduleFor(saved, stepsPerEpoch);
    int changedAt = 0;
    for (const auto& args : steps) {
      const auto r = args.at(0).value<yolo::ui::StepRecord>();
      const bool newPlan = r.totalSteps == after.totalSteps;
      if (newPlan && changedAt == 0) changedAt = static_cast<int>(r.step);
      QCOMPARE(r.lr, (newPlan ? after : before).at(r.step - 1));
      if (changedAt > 0) QVERIFY2(newPlan, "a step after the change ran the old plan");
    }
    QVERIFY(changedAt > askedAt);
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
