// LatestImageDecoder: files decode on a pool thread, only the latest wish is delivered, and a
// file that cannot be read is reported even when it was skipped.

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/common/latest_image_decoder.h"

using yolo::ui::LatestImageDecoder;

namespace {

QString writePicture(const QTemporaryDir& dir, const QString& name, QSize size) {
  QImage picture(size, QImage::Format_RGB32);
  picture.fill(Qt::white);
  const QString path = dir.filePath(name);
  if (!picture.save(path)) qFatal("cannot write %s", qPrintable(path));
  return path;
}

}  // namespace

class TestLatestImageDecoder : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void deliversOnlyTheLatestWish() {
    QTemporaryDir dir;
    LatestImageDecoder decoder;
    QSignalSpy ready(&decoder, &LatestImageDecoder::ready);
    // Asked for in turn before the event loop runs: the first starts, the second is
    // replaced by the third before it can start.
    decoder.want(0, writePicture(dir, QStringLiteral("a.png"), {30, 20}));
    decoder.want(1, writePicture(dir, QStringLiteral("b.png"), {31, 20}));
    decoder.want(2, writePicture(dir, QStringLiteral("c.png"), {32, 20}));
    QCOMPARE(decoder.wanted(), 2);
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toInt(), 2);
    QCOMPARE(ready.at(0).at(1).value<QImage>().size(), QSize(32, 20));
    QCOMPARE(ready.at(0).at(2).value<QImage>().size(), QSize(32, 20));  // drawn as it is
    QCOMPARE(decoder.wanted(), -1);
    QTest::qWait(50);
    QCOMPARE(ready.count(), 1);  // the skipped one never comes
  }

  void reportsAnUnreadableFileEvenWhenItWasSkipped() {
    QTemporaryDir dir;
    const QString broken = dir.filePath(QStringLiteral("broken.png"));
    QFile file(broken);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a png");
    file.close();
    LatestImageDecoder decoder;
    QSignalSpy ready(&decoder, &LatestImageDecoder::ready);
    QSignalSpy failed(&decoder, &LatestImageDecoder::failed);
    decoder.want(0, broken);  // starts at once
    decoder.want(1, writePicture(dir, QStringLiteral("good.png"), {8, 8}));
    QTRY_COMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toInt(), 1);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toInt(), 0);
    QCOMPARE(failed.at(0).at(1).toString(), broken);
    QVERIFY(!failed.at(0).at(2).toString().isEmpty());  // the decoder's reason
  }

  void aDroppedWishDeliversNoPicture() {
    QTemporaryDir dir;
    const QString path = writePicture(dir, QStringLiteral("a.png"), {10, 10});
    LatestImageDecoder decoder;
    QSignalSpy ready(&decoder, &LatestImageDecoder::ready);
    decoder.want(0, path);
    decoder.dropWish();  // the view moved on to a picture held in memory
    QCOMPARE(decoder.wanted(), -1);
    QTest::qWait(200);
    QCOMPARE(ready.count(), 0);
    decoder.want(0, path);  // asked for again: decoded again
    QTRY_COMPARE(ready.count(), 1);
  }
};

QTEST_MAIN(TestLatestImageDecoder)
#include "test_latest_image_decoder.moc"
