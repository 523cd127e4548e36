// MetricsFollower: reads metrics.jsonl as another process appends to it.
// (Plain string literals: moc's preprocessor does not understand raw strings in macros.)

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/train/metrics_records.h"
#include "ui/train/metrics_follower.h"
#include "ui/train/metrics_jsonl.h"

using namespace yolo::ui;

namespace {
void append(const QString& path, const QByteArray& text) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::Append));
  QCOMPARE(file.write(text), text.size());
}
}  // namespace

class TestMetricsFollower : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void parsesTheTrainerLines() {
    const MetricsLine step = parseMetricsLine(
        "{\"type\":\"step\",\"step\":7,\"epoch\":2,\"lr\":0.001,\"total_loss\":3.5,\"giou_loss\":1,"
        "\"conf_loss\":2,\"prob_loss\":0.5,\"giou_loss_s0\":0.25,\"giou_loss_s1\":0.75,"
        "\"conf_loss_s0\":1,\"conf_loss_s1\":1,\"prob_loss_s0\":0.2,\"prob_loss_s1\":0.3,"
        "\"images_per_s\":12.5,\"data_wait\":0.1}");
    const auto* s = std::get_if<StepRecord>(&step);
    QVERIFY(s);
    QCOMPARE(s->step, qint64(7));
    QCOMPARE(s->epoch, 2);
    QCOMPARE(s->total, 3.5);
    QCOMPARE(s->giouPerScale, (QVector<double>{0.25, 0.75}));
    QCOMPARE(s->probPerScale, (QVector<double>{0.2, 0.3}));
    QCOMPARE(s->imagesPerSecond, 12.5);

    const MetricsLine epoch = parseMetricsLine(
        "{\"type\":\"epoch\",\"epoch\":1,\"step\":50,\"seconds\":3,\"val_total_loss\":4,\"map50\":"
        "0.5}");
    const auto* e = std::get_if<EpochRecord>(&epoch);
    QVERIFY(e);
    QCOMPARE(e->step, qint64(50));
    QVERIFY(e->hasValidation());
    QCOMPARE(e->map50, 0.5);
    QVERIFY(!std::isfinite(e->valGiou));

    const MetricsLine noMap =
        parseMetricsLine("{\"type\":\"epoch\",\"epoch\":1,\"step\":50,\"map50\":null}");
    QVERIFY(!std::get<EpochRecord>(noMap).hasMap());

    QVERIFY(std::holds_alternative<std::monostate>(parseMetricsLine("{\"type\":\"step\",\"st")));
    QVERIFY(std::holds_alternative<std::monostate>(parseMetricsLine("")));
    QVERIFY(std::holds_alternative<std::monostate>(parseMetricsLine("{\"type\":\"future\"}")));
  }

  // The followed path (a file) and the live path (the worker's callbacks) give equal records.
  void aLineTheTrainerWritesReadsAsTheLiveRecord() {
    yolo::train::StepMetrics m;
    m.step = 12;
    m.totalSteps = 40;
    m.epoch = 2;
    m.stepInEpoch = 2;
    m.stepsPerEpoch = 10;
    m.lr = 0.0005;
    m.loss = {3.5, 1, 2, 0.5, {0.25, 0.75}, {1, 1}, {0.2, 0.3}};
    m.imagesPerSecond = 12.5;
    m.dataWait = 0.125;
    m.etaSeconds = 90;
    const QByteArray line = QByteArray::fromStdString(yolo::train::toJson(m).dump());
    const MetricsLine followedLine = parseMetricsLine(line);
    const auto* followed = std::get_if<StepRecord>(&followedLine);
    QVERIFY(followed);
    const StepRecord live = toRecord(m);
    QCOMPARE(followed->step, live.step);
    QCOMPARE(followed->totalSteps, live.totalSteps);
    QCOMPARE(followed->stepInEpoch, live.stepInEpoch);
    QCOMPARE(followed->stepsPerEpoch, live.stepsPerEpoch);
    QCOMPARE(followed->lr, live.lr);
    QCOMPARE(followed->total, live.total);
    QCOMPARE(followed->confPerScale, live.confPerScale);
    QCOMPARE(followed->dataWait, live.dataWait);
    QCOMPARE(followed->etaSeconds, live.etaSeconds);

    yolo::train::EpochMetrics e;
    e.epoch = 2;
    e.step = 20;
    e.map50 = 0.75;
    e.seconds = 30;
    const MetricsLine epochLine =
        parseMetricsLine(QByteArray::fromStdString(yolo::train::toJson(e).dump()));
    const auto* epoch = std::get_if<EpochRecord>(&epochLine);
    QVERIFY(epoch);
    QCOMPARE(epoch->map50, toRecord(e).map50);
    QVERIFY(!epoch->hasValidation());
  }

  void followsAppendedLines() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("metrics.jsonl"));
    MetricsFollower follower;
    follower.setPollInterval(50);
    QSignalSpy steps(&follower, &MetricsFollower::step);
    QSignalSpy epochs(&follower, &MetricsFollower::epoch);
    QSignalSpy events(&follower, &MetricsFollower::event);

    follower.follow(path);  // not written yet: nothing, no error
    QCOMPARE(steps.count(), 0);

    append(path,
           "{\"type\":\"step\",\"step\":1,\"epoch\":1,\"total_loss\":5}"
           "\n"
           "{\"type\":\"step\",\"step\":2,\"epoch\":1,\"total_loss\":4}"
           "\n"
           "{\"type\":\"step\",\"step\":3,\"ep");  // a line still being written
    QTRY_COMPARE(steps.count(), 2);
    append(path,
           "och\":1,\"total_loss\":3}"
           "\n"
           "{\"type\":\"epoch\",\"epoch\":1,\"step\":3,\"val_total_loss\":4.5}"
           "\n"
           "{\"type\":\"event\",\"step\":3,\"event\":\"checkpoint\",\"message\":\"saved last.pt\"}"
           "\n");
    QTRY_COMPARE(steps.count(), 3);
    QTRY_COMPARE(epochs.count(), 1);
    QTRY_COMPARE(events.count(), 1);
    QCOMPARE(steps.at(2).at(0).value<StepRecord>().total, 3.0);
    QCOMPARE(events.at(0).at(0).value<EventRecord>().event, QStringLiteral("checkpoint"));

    // A rewrite (the file shrinks) starts over.
    QSignalSpy restarted(&follower, &MetricsFollower::restarted);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(
        "{\"type\":\"step\",\"step\":1,\"epoch\":1,\"total_loss\":9}"
        "\n");
    file.close();
    QTRY_COMPARE(restarted.count(), 1);
    QTRY_COMPARE(steps.count(), 4);
  }

  void readsALongFileAChunkPerEventLoopTurn() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("metrics.jsonl"));
    // About 4.5 chunks of step lines, as a long run leaves them.
    QByteArray text;
    int lines = 0;
    while (text.size() < 4 * MetricsFollower::kChunkBytes + MetricsFollower::kChunkBytes / 2) {
      ++lines;
      text += "{\"type\":\"step\",\"step\":" + QByteArray::number(lines) +
              ",\"epoch\":1,\"total_loss\":" + QByteArray::number(1000.0 / lines) +
              ",\"giou_loss\":1.25,\"conf_loss\":2.5,\"prob_loss\":0.75,\"lr\":0.001}\n";
    }
    append(path, text);

    MetricsFollower follower;
    QSignalSpy steps(&follower, &MetricsFollower::step);
    follower.follow(path);
    // follow() returns after the first chunk: the GUI thread is not held for the whole file.
    QVERIFY(steps.count() > 0);
    QVERIFY(steps.count() < lines / 2);
    QTRY_COMPARE(steps.count(), lines);
    for (int i = 0; i < lines; ++i)
      QCOMPARE(steps.at(i).at(0).value<StepRecord>().step, qint64(i + 1));

    // readToEnd(): all of it before returning.
    MetricsFollower whole;
    QSignalSpy wholeSteps(&whole, &MetricsFollower::step);
    whole.follow(path);
    whole.readToEnd();
    QCOMPARE(wholeSteps.count(), lines);
    whole.stop();

    // stop() ends the catching up too.
    MetricsFollower stopped;
    QSignalSpy stoppedSteps(&stopped, &MetricsFollower::step);
    stopped.follow(path);
    const qsizetype first = stoppedSteps.count();
    stopped.stop();
    QTest::qWait(50);
    QCOMPARE(stoppedSteps.count(), first);
  }
};

QTEST_MAIN(TestMetricsFollower)
#include "test_metrics_follower.moc"
