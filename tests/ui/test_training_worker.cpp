// TrainingSession + TrainingWorker: Start / Pause / Resume / Stop on a tiny set of squares
// and bars, each run ending with exactly one of finished / failed / stopped, and bad
// settings ending in failed(message) rather than a crash.

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/run/run_config.h"
#include "tests/ui/support/squares_dataset.h"
#include "tests/ui/support/tiny_run_config.h"
#include "ui/train/training_session.h"

using yolo::ui::TrainingSession;

class TestTrainingWorker : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString data_;

  yolo::run::RunConfig tinyConfig(int epochs) const {
    return yolo::test::tinyRunConfig(data_, epochs);
  }

  static int endings(const QSignalSpy& a, const QSignalSpy& b, const QSignalSpy& c) {
    return static_cast<int>(a.count() + b.count() + c.count());
  }

 private Q_SLOTS:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    data_ = dir_.filePath(QStringLiteral("data"));
    yolo::test::writeSquaresDataset(data_, 8, 2);
  }

  void startPauseResumeStop() {
    TrainingSession session;
    QSignalSpy started(&session, &TrainingSession::started);
    QSignalSpy steps(&session, &TrainingSession::step);
    QSignalSpy events(&session, &TrainingSession::event);
    QSignalSpy finished(&session, &TrainingSession::finished);
    QSignalSpy failed(&session, &TrainingSession::failed);
    QSignalSpy stopped(&session, &TrainingSession::stopped);

    const QString runDir = dir_.filePath(QStringLiteral("runs/a"));
    QVERIFY(session.start(tinyConfig(/*epochs=*/1000), runDir));
    QVERIFY(!session.start(tinyConfig(1), runDir));  // one run at a time
    QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() >= 2, 120000);
    QCOMPARE(session.state(), TrainingSession::State::Running);

    session.pause();
    QCOMPARE(session.state(), TrainingSession::State::Paused);
    auto sawEvent = [&events](const char* name) {
      for (const auto& args : events)
        if (args.at(0).value<yolo::ui::EventRecord>().event == QLatin1String(name)) return true;
      return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(sawEvent("paused"), 60000);
    const auto atPause = steps.count();
    QTest::qWait(1500);
    QCOMPARE(steps.count(), atPause);  // parked: no step while paused

    session.resume();
    QCOMPARE(session.state(), TrainingSession::State::Running);
    QTRY_VERIFY_WITH_TIMEOUT(steps.count() > atPause, 120000);

    session.stop();
    QCOMPARE(session.state(), TrainingSession::State::Stopping);
    QTRY_COMPARE_WITH_TIMEOUT(endings(finished, failed, stopped), 1, 120000);
    QCOMPARE(stopped.count(), 1);
    QCOMPARE(session.state(), TrainingSession::State::Idle);
    QVERIFY(QFile::exists(runDir + QStringLiteral("/last.pt")));
    QVERIFY(QFile::exists(runDir + QStringLiteral("/metrics.jsonl")));
    QTest::qWait(300);
    QCOMPARE(endings(finished, failed, stopped), 1);  // exactly one ending

    // The stopped run continues from its checkpoint.
    QSignalSpy resumedSteps(&session, &TrainingSession::step);
    QVERIFY(session.resumeRun(runDir));
    QTRY_VERIFY_WITH_TIMEOUT(!resumedSteps.isEmpty(), 120000);
    const auto firstResumed = resumedSteps.at(0).at(0).value<yolo::ui::StepRecord>().step;
    QVERIFY(firstResumed > 1);
    session.stop();
    QTRY_COMPARE_WITH_TIMEOUT(stopped.count(), 2, 120000);
  }

  void shortRunFinishes() {
    TrainingSession session;
    QSignalSpy finished(&session, &TrainingSession::finished);
    QSignalSpy failed(&session, &TrainingSession::failed);
    QSignalSpy stopped(&session, &TrainingSession::stopped);
    QSignalSpy epochs(&session, &TrainingSession::epoch);
    auto config = tinyConfig(/*epochs=*/1);
    config.maxSteps = 2;
    config.warmupEpochs = 0.5;  // must be below the epochs
    QVERIFY(session.start(config, dir_.filePath(QStringLiteral("runs/b"))));
    QTRY_COMPARE_WITH_TIMEOUT(endings(finished, failed, stopped), 1, 180000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(finished.count(), 1);
  }

  void badSettingsFailWithAMessage() {
    TrainingSession session;
    QSignalSpy finished(&session, &TrainingSession::finished);
    QSignalSpy failed(&session, &TrainingSession::failed);
    QSignalSpy stopped(&session, &TrainingSession::stopped);
    auto config = tinyConfig(1);
    config.trainAnnotations = dir_.filePath(QStringLiteral("no-such-train.txt")).toStdString();
    QVERIFY(session.start(config, dir_.filePath(QStringLiteral("runs/c"))));
    QTRY_COMPARE_WITH_TIMEOUT(endings(finished, failed, stopped), 1, 60000);
    QCOMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("no-such-train.txt")));
    QCOMPARE(session.state(), TrainingSession::State::Idle);
  }

  void destroyingARunningSessionStopsIt() {
    const QString runDir = dir_.filePath(QStringLiteral("runs/d"));
    {
      TrainingSession session;
      QSignalSpy steps(&session, &TrainingSession::step);
      QVERIFY(session.start(tinyConfig(1000), runDir));
      QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), 120000);
    }  // the destructor stops the run and waits for its thread
    QVERIFY(QFile::exists(runDir + QStringLiteral("/last.pt")));
  }
};

QTEST_MAIN(TestTrainingWorker)
#include "test_training_worker.moc"
