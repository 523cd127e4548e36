// EvaluationView: a model scored on a dataset on a pool thread, the per-class table, the
// confusion matrix and the error counts as the core computes them, re-judged at other
// thresholds without the network, a cell's cases listed, and a failure named. The
// evaluations a trainer kept: the latest shown and followed, an earlier one kept in view.

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/eval/error_analysis.h"
#include "core/eval/evaluate_model.h"
#include "core/eval/saved_evaluation.h"
#include "core/infer/detector.h"
#include "tests/ui/support/certain_checkpoint.h"
#include "tests/ui/support/squares_dataset.h"
#include "ui/eval/confusion_table.h"
#include "ui/eval/evaluation_view.h"
#include "ui/eval/pr_curves_plot.h"

using yolo::ui::EvaluationView;

class TestEvaluationView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void scoresAModelAndJudgesItsErrorsAsTheCoreDoes() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 0, 4);
    const auto checkpoint = yolo::test::writeCertainCheckpoint(dir.path().toStdString());
    const QString data = written.folder + QStringLiteral("/test.txt");

    EvaluationView view;
    view.setModel(QString::fromStdString(checkpoint.string()));
    view.setData(data);
    view.evaluate();
    QVERIFY(view.isRunning());  // on a pool thread: the call returned at once
    QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 120000);
    QVERIFY2(view.evaluation() != nullptr, qPrintable(view.summary()->text()));

    // The same evaluation through the core.
    auto detector = yolo::infer::Detector::load(checkpoint, "cpu", 2);
    const auto report = yolo::eval::evaluateOnSamples(
        *detector, samplesOf(view.evaluation()->report), 0.05f, 0.45f);
    QCOMPARE(view.evaluation()->report.images, 4);
    QVERIFY2(view.summary()->text().contains(
                 QStringLiteral("mAP@0.5 %1").arg(report.result.map50, 0, 'f', 4)),
             qPrintable(view.summary()->text()));
    QCOMPARE(view.perClass()->rowCount(), 2);  // square and bar: objects of both
    // A precision-recall curve for the class the model detects (every box is class 0);
    // selecting its row brings it forward.
    QCOMPARE(view.prCurves()->curveCount(), 1);
    QCOMPARE(view.prCurves()->highlighted(), -1);
    view.perClass()->selectRow(0);
    QCOMPARE(view.prCurves()->highlighted(), 0);
    view.perClass()->selectRow(1);  // class 1: no detections, no curve
    QCOMPARE(view.prCurves()->highlighted(), -1);

    const auto errors = yolo::eval::analyseErrors(report.groundTruth, report.detections, 2);
    QCOMPARE(view.errors().counts.truePositives, errors.counts.truePositives);
    QCOMPARE(view.errors().counts.falsePositives(), errors.counts.falsePositives());
    QVERIFY(errors.counts.falsePositives() > 0);  // the certain model boxes every cell
    for (int t = 0; t <= 2; ++t)
      for (int p = 0; p <= 2; ++p)
        QCOMPARE(view.confusion()->countAt(t, p), errors.confusion.at(t, p));

    // Above every score the model gives (0.9 at most): nothing judged, every object missed,
    // decided again from the kept detections.
    view.setErrorThresholds(0.95, 0.5);
    QCOMPARE(view.errors().counts.missed, 6);  // 4 squares, 2 bars
    QCOMPARE(view.confusion()->countAt(0, 2), 4);
    QCOMPARE(view.confusion()->countAt(1, 2), 2);
    QVERIFY(view.errorCounts()->text().contains(QStringLiteral("6 missed (of 6)")));

    Q_EMIT view.confusion()->cellChosen(1, 2);  // bars (the model calls class 1 "one") not found
    QCOMPARE(view.cases()->count(), 2);
    QVERIFY2(view.cases()->item(0)->text().contains(QStringLiteral("one at")) &&
                 view.cases()->item(0)->text().contains(QStringLiteral("not found")),
             qPrintable(view.cases()->item(0)->text()));
    // Double-clicked: its image, with the evaluated checkpoint, for the Detect view.
    QSignalSpy open(&view, &EvaluationView::openInDetectView);
    Q_EMIT view.cases()->itemDoubleClicked(view.cases()->item(0));
    QCOMPARE(open.count(), 1);
    QVERIFY(QFile::exists(open.at(0).at(0).toString()));
    QCOMPARE(open.at(0).at(1).toString(), QString::fromStdString(checkpoint.string()));
  }

  void showsTheEvaluationsTheTrainerKeptAndFollowsTheLatest() {
    QTemporaryDir dir;
    const QString run = dir.filePath(QStringLiteral("run"));
    // Epochs 1 and 2 kept: epoch e finds e of the 3 squares (mAP e/3 with one class).
    for (int e : {1, 2}) keep(run, e);

    EvaluationView view;
    view.followRun(run);
    QTRY_VERIFY_WITH_TIMEOUT(view.evaluation() != nullptr, 10000);
    QCOMPARE(view.evaluation()->epoch, 2);  // the latest
    QCOMPARE(view.evaluation()->runDir, run);
    QCOMPARE(view.evaluation()->report.result.map50, 2.0 / 3.0);
    QVERIFY2(view.summary()->text().contains(QStringLiteral("after epoch 2")),
             qPrintable(view.summary()->text()));
    QCOMPARE(view.errors().counts.missed, 1);
    auto* epochs = view.findChild<QComboBox*>(QStringLiteral("runEpochs"));
    QCOMPARE(epochs->count(), 2);
    QCOMPARE(epochs->currentData().toInt(), 2);

    // Training evaluates epoch 3: the view showed the latest, so it moves on.
    keep(run, 3);
    view.runEvaluated(run, 3);
    QTRY_COMPARE_WITH_TIMEOUT(view.evaluation()->epoch, 3, 10000);
    QCOMPARE(view.errors().counts.missed, 0);
    QCOMPARE(epochs->count(), 3);

    // An earlier epoch chosen stays while training goes on.
    view.showRunEvaluation(run, 1);
    QTRY_COMPARE_WITH_TIMEOUT(view.evaluation()->epoch, 1, 10000);
    keep(run, 4);
    view.runEvaluated(run, 4);
    QTest::qWait(300);
    QCOMPARE(view.evaluation()->epoch, 1);
    QCOMPARE(epochs->count(), 4);
    QCOMPARE(epochs->currentData().toInt(), 1);
    view.followRun(run);  // the Train view names the same run again (a resume): it stays
    QTest::qWait(300);
    QCOMPARE(view.evaluation()->epoch, 1);

    // A damaged file is named, and what was shown stays.
    QFile damaged(
        QString::fromStdString(yolo::eval::savedEvaluationPath(run.toStdString(), 2).string()));
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write("{\"format\":1,");
    damaged.close();
    view.showRunEvaluation(run, 2);
    QTRY_VERIFY_WITH_TIMEOUT(view.summary()->text().contains(QStringLiteral("epoch-0002.json")),
                             10000);
    QCOMPARE(view.evaluation()->epoch, 1);
  }

  void aModelThatCannotBeReadIsNamed() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 0, 2);
    EvaluationView view;
    view.setModel(dir.filePath(QStringLiteral("no-such-run")));
    view.setData(written.folder + QStringLiteral("/test.txt"));
    view.evaluate();
    QTRY_VERIFY_WITH_TIMEOUT(!view.isRunning(), 60000);
    QVERIFY(view.evaluation() == nullptr);
    QVERIFY2(view.summary()->text().startsWith(QStringLiteral("Evaluation failed")) &&
                 view.summary()->text().contains(QStringLiteral("no-such-run")),
             qPrintable(view.summary()->text()));
  }

 private:
  // A kept evaluation of one class: three squares, of which the detections find `epoch`.
  static void keep(const QString& run, int epoch) {
    yolo::eval::SavedEvaluation e;
    e.epoch = epoch;
    e.step = 10 * epoch;
    e.classNames = {"square"};
    e.report.scoreThreshold = 0.05f;
    e.report.iouThreshold = 0.45f;
    e.report.imagePaths = {"a.png"};
    std::vector<yolo::data::Box> boxes;
    std::vector<yolo::infer::Detection> found;
    for (int i = 0; i < 3; ++i) {
      const float x = 50.f * static_cast<float>(i);
      boxes.push_back({x, 0, x + 20, 20, 0});
      if (i < epoch) {
        yolo::infer::Detection d;
        d.x1 = x;
        d.x2 = x + 20;
        d.y2 = 20;
        d.score = 0.9f;
        found.push_back(d);
      }
    }
    e.report.groundTruth = {boxes};
    e.report.detections = {found};
    yolo::eval::saveEvaluation(yolo::eval::savedEvaluationPath(run.toStdString(), epoch), e);
  }

  // The samples the view evaluated, back from its report (paths and boxes).
  static std::vector<yolo::data::Sample> samplesOf(const yolo::eval::EvaluationReport& r) {
    std::vector<yolo::data::Sample> samples;
    for (size_t i = 0; i < r.imagePaths.size(); ++i)
      samples.push_back({r.imagePaths[i], r.groundTruth[i]});
    return samples;
  }
};

QTEST_MAIN(TestEvaluationView)
#include "test_evaluation_view.moc"
