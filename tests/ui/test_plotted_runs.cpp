// PlottedRuns: the live run and followed run folders on the training plots; a followed run
// stops following when it is taken off, and a new live run starts on clean plots.

#include <QDir>
#include <QFile>
#include <QPointer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/train/metrics_records.h"
#include "ui/plots/training_plots.h"
#include "ui/train/followed_run.h"
#include "ui/train/metrics_follower.h"
#include "ui/train/plotted_runs.h"

using yolo::ui::FollowedRun;
using yolo::ui::PlottedRuns;

namespace {

// A run folder with `steps` lines of metrics.jsonl, as the trainer writes them.
QString writeRun(const QTemporaryDir& dir, const QString& name, int steps) {
  const QString folder = dir.filePath(name);
  QDir().mkpath(folder);
  QFile file(folder + QStringLiteral("/metrics.jsonl"));
  if (!file.open(QIODevice::WriteOnly)) return folder;
  for (int s = 1; s <= steps; ++s) {
    yolo::train::StepMetrics m;
    m.step = s;
    m.loss.total = 10.0 / s;
    file.write(QByteArray::fromStdString(yolo::train::toJson(m).dump() + "\n"));
  }
  return folder;
}

QStringList labels(const PlottedRuns& runs) {
  QStringList out;
  for (const auto& e : runs.entries()) out << (e.live ? e.label + QStringLiteral("*") : e.label);
  return out;
}

}  // namespace

class TestPlottedRuns : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void followedRunsAreListedAndReadFromTheirFiles() {
    QTemporaryDir dir;
    yolo::ui::TrainingPlots plots;
    PlottedRuns runs(&plots);
    QSignalSpy changed(&runs, &PlottedRuns::changed);
    FollowedRun* a = runs.follow(writeRun(dir, QStringLiteral("a"), 5));
    QSignalSpy stepped(a, &FollowedRun::stepped);
    a->start();
    QCOMPARE(stepped.count(), 5);
    QCOMPARE(a->lastStep(), qint64(5));
    runs.follow(writeRun(dir, QStringLiteral("b"), 2))->start();
    QCOMPARE(labels(runs), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(changed.count(), 2);
    QCOMPARE(runs.liveRun(), -1);
  }

  void aNewLiveRunStartsOnCleanPlots() {
    QTemporaryDir dir;
    yolo::ui::TrainingPlots plots;
    PlottedRuns runs(&plots);
    FollowedRun* a = runs.follow(writeRun(dir, QStringLiteral("a"), 3));
    a->start();
    QVERIFY(a->follower()->isFollowing());
    const QPointer<FollowedRun> watched(a);
    const int live = runs.beginLive(QStringLiteral("run-2"));
    QCOMPARE(runs.liveRun(), live);
    QCOMPARE(labels(runs), QStringList{QStringLiteral("run-2*")});
    QVERIFY(runs.followed().empty());
    QVERIFY(!watched || !watched->follower()->isFollowing());  // no points into a reused slot
    QTRY_VERIFY(watched.isNull());                             // and gone once events run
  }

  void removingARunStopsOnlyThatOne() {
    QTemporaryDir dir;
    yolo::ui::TrainingPlots plots;
    PlottedRuns runs(&plots);
    const int live = runs.beginLive(QStringLiteral("live"));
    FollowedRun* a = runs.follow(writeRun(dir, QStringLiteral("a"), 3));
    FollowedRun* b = runs.follow(writeRun(dir, QStringLiteral("b"), 3));
    a->start();
    b->start();
    QVERIFY(runs.remove(a->plotRun()));
    QCOMPARE(labels(runs), (QStringList{QStringLiteral("live*"), QStringLiteral("b")}));
    QVERIFY(b->follower()->isFollowing());
    QVERIFY(!runs.remove(12345));  // no such run: nothing happens

    QVERIFY(runs.remove(live));  // the live run's curves go; training is not the plots' business
    QCOMPARE(runs.liveRun(), -1);
    QCOMPARE(labels(runs), QStringList{QStringLiteral("b")});
  }

  void clearingKeepsTheLiveRunWhenAsked() {
    QTemporaryDir dir;
    yolo::ui::TrainingPlots plots;
    PlottedRuns runs(&plots);
    runs.beginLive(QStringLiteral("live"));
    runs.follow(writeRun(dir, QStringLiteral("a"), 3))->start();
    const int live = runs.clear(QStringLiteral("live"));
    QVERIFY(live >= 0);
    QCOMPARE(labels(runs), QStringList{QStringLiteral("live*")});
    QCOMPARE(runs.clear(), -1);
    QVERIFY(runs.entries().isEmpty());
  }
};

QTEST_MAIN(TestPlottedRuns)
#include "test_plotted_runs.moc"
