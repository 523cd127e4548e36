// DetectionScheduler: which request the Detect view sends its worker, without any widget.

#include <QSignalSpy>
#include <QtTest>

#include "ui/detect/detection_scheduler.h"

using namespace yolo::ui;

namespace {
int lastId(const QSignalSpy& spy) { return spy.last().at(0).toInt(); }
}  // namespace

class TestDetectionScheduler : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void nothingIsAskedBeforeAModelAndAPicture() {
    DetectionScheduler s;
    QSignalSpy network(&s, &DetectionScheduler::networkRequested);
    s.pictureChanged(QStringLiteral("image:0"));  // no model yet
    s.settingsChanged();
    QCOMPARE(network.size(), 0);
    QVERIFY(s.settled());  // nothing can be due without a model

    s.modelLoading();
    QVERIFY(!s.settled());
    s.modelLoaded();
    QCOMPARE(network.size(), 1);  // the shown picture, as soon as the model is there
    QVERIFY(!s.settled());
    QVERIFY(s.resultArrived(lastId(network)));
    QVERIFY(s.settled());

    DetectionScheduler noPicture;
    QSignalSpy none(&noPicture, &DetectionScheduler::networkRequested);
    noPicture.modelLoading();
    noPicture.modelLoaded();
    QCOMPARE(none.size(), 0);
    QVERIFY(noPicture.settled());
  }

  void wishesDuringARequestCoalesceIntoOne() {
    DetectionScheduler s;
    QSignalSpy network(&s, &DetectionScheduler::networkRequested);
    QSignalSpy refilter(&s, &DetectionScheduler::refilterRequested);
    s.modelLoading();
    s.modelLoaded();
    s.pictureChanged(QStringLiteral("sketch"));
    QCOMPARE(network.size(), 1);
    const int first = lastId(network);
    for (int stroke = 0; stroke < 20; ++stroke) s.pictureChanged(QStringLiteral("sketch"));
    s.settingsChanged();
    QCOMPARE(network.size(), 1);  // one in flight at a time
    QVERIFY(s.resultArrived(first));
    QCOMPARE(network.size(), 2);   // all twenty strokes and the slider: one request
    QCOMPARE(refilter.size(), 0);  // the network run uses the new settings too
    QVERIFY(lastId(network) != first);
    QVERIFY(s.resultArrived(lastId(network)));
    QCOMPARE(network.size(), 2);
    QVERIFY(s.settled());
  }

  void aThresholdChangeRefiltersTheCachedOutput() {
    DetectionScheduler s;
    QSignalSpy network(&s, &DetectionScheduler::networkRequested);
    QSignalSpy refilter(&s, &DetectionScheduler::refilterRequested);
    s.pictureChanged(QStringLiteral("image:3"));
    s.modelLoading();
    s.modelLoaded();
    QVERIFY(s.resultArrived(lastId(network)));
    s.settingsChanged();
    QCOMPARE(network.size(), 1);
    QCOMPARE(refilter.size(), 1);
    QVERIFY(s.resultArrived(lastId(refilter)));

    // Another model: the worker's cached output is gone, so the network runs again.
    s.modelLoading();
    s.settingsChanged();  // while loading: waits
    QCOMPARE(refilter.size(), 1);
    s.modelLoaded();
    QCOMPARE(network.size(), 2);
    QCOMPARE(refilter.size(), 1);
  }

  void anAnswerForAPictureNoLongerShownIsNotDrawn() {
    DetectionScheduler s;
    QSignalSpy network(&s, &DetectionScheduler::networkRequested);
    s.modelLoading();
    s.modelLoaded();
    s.pictureChanged(QStringLiteral("image:0"));
    const int forFirst = lastId(network);
    s.pictureChanged(QStringLiteral("image:1"));  // the user moved on
    QVERIFY(!s.resultArrived(forFirst));
    QCOMPARE(network.size(), 2);          // image:1 asked for at once
    QVERIFY(!s.resultArrived(forFirst));  // a repeated or stray id changes nothing
    QCOMPARE(network.size(), 2);
    QVERIFY(s.resultArrived(lastId(network)));
    QVERIFY(s.settled());
  }

  void aFailureFreesTheWorkerForTheNextWish() {
    DetectionScheduler s;
    QSignalSpy network(&s, &DetectionScheduler::networkRequested);
    s.modelLoading();
    s.modelLoaded();
    s.pictureChanged(QStringLiteral("image:0"));
    s.pictureChanged(QStringLiteral("image:1"));
    QCOMPARE(network.size(), 1);
    s.requestFailed(lastId(network));
    QCOMPARE(network.size(), 2);

    s.modelLoading();
    s.modelFailed();
    QVERIFY(!s.modelReady());
    s.pictureChanged(QStringLiteral("image:2"));
    QCOMPARE(network.size(), 2);  // no model: nothing asked
  }
};

QTEST_MAIN(TestDetectionScheduler)
#include "test_detection_scheduler.moc"
