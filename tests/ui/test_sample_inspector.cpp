// SampleInspector: one image of a dataset with its boxes, its annotation line and the
// dataset's problems.

#include <QFile>
#include <QSemaphore>
#include <QTemporaryDir>
#include <QThreadPool>
#include <QtTest>

#include "tests/ui/support/squares_dataset.h"
#include "ui/common/box_image_view.h"
#include "ui/data/sample_inspector.h"

using yolo::ui::SampleInspector;

class TestSampleInspector : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void showsAnImageWithItsBoxesAndLine() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 4, 0);
    auto dataset =
        std::make_shared<const yolo::ui::LoadedDataset>(yolo::ui::loadDataset(written.folder));
    SampleInspector inspector;
    inspector.setDataset(dataset);
    QCOMPARE(inspector.shownRow(), -1);
    QVERIFY(inspector.viewer()->image().isNull());

    inspector.showSample(2);  // a square and a bar
    QCOMPARE(inspector.shownRow(), 2);
    QVERIFY(inspector.isOpening());  // decoded on a pool thread
    QTRY_VERIFY(!inspector.isOpening());
    QCOMPARE(inspector.viewer()->image().size(), QSize(96, 96));
    QCOMPARE(inspector.viewer()->boxes().size(), written.classesPerImage[2].size());
    QCOMPARE(inspector.viewer()->boxes()[1].label, QStringLiteral("bar"));
    QCOMPARE(inspector.viewer()->boxes()[0].rect, QRectF(QPointF(12, 12), QPointF(36, 36)));
    QVERIFY(inspector.viewer()->boxes()[0].tip.contains(QStringLiteral("24×24 px")));
    QVERIFY(inspector.shownLine().startsWith(QStringLiteral("train/000003.png 12,12,36,36,0")));

    inspector.showSample(99);  // out of range: nothing changes
    QCOMPARE(inspector.shownRow(), 2);

    inspector.setDataset(dataset);  // again: the image pane starts empty
    QVERIFY(inspector.viewer()->image().isNull());
    QVERIFY(inspector.shownLine().isEmpty());
  }

  void namesAnImageItCannotReadAndDrawsNoBoxes() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 4, 0);
    QFile broken(dir.filePath(QStringLiteral("d/train/000002.png")));
    QVERIFY(broken.open(QIODevice::WriteOnly | QIODevice::Truncate));  // now 0 bytes
    broken.close();
    auto dataset =
        std::make_shared<const yolo::ui::LoadedDataset>(yolo::ui::loadDataset(written.folder));
    SampleInspector inspector;
    inspector.setDataset(dataset);

    inspector.showSample(1);
    QTRY_VERIFY(!inspector.isOpening());
    QVERIFY(inspector.viewer()->image().isNull());
    QVERIFY(inspector.viewer()->boxes().empty());
    QVERIFY2(inspector.viewer()->placeholder().startsWith(QStringLiteral("Cannot read")) &&
                 inspector.viewer()->placeholder().contains(QStringLiteral("000002.png")),
             qPrintable(inspector.viewer()->placeholder()));
    QVERIFY(inspector.shownLine().startsWith(QStringLiteral("train/000002.png")));

    inspector.showSample(2);  // a readable one: its picture, its boxes, no message
    QTRY_VERIFY(!inspector.isOpening());
    QCOMPARE(inspector.viewer()->image().size(), QSize(96, 96));
    QVERIFY(!inspector.viewer()->placeholder().startsWith(QStringLiteral("Cannot read")));
  }

  void keepsThePreviousPictureUntilTheNextIsDecodedThenSaysOpening() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 4, 0);
    auto dataset =
        std::make_shared<const yolo::ui::LoadedDataset>(yolo::ui::loadDataset(written.folder));
    SampleInspector inspector;
    inspector.setDataset(dataset);
    inspector.showSample(0);
    QTRY_VERIFY(!inspector.isOpening());
    const qint64 first = inspector.viewer()->image().cacheKey();
    const QString firstLine = inspector.shownLine();

    inspector.showSample(1);
    // Returns before the decode: picture, boxes and line still agree with each other.
    QCOMPARE(inspector.viewer()->image().cacheKey(), first);
    QCOMPARE(inspector.shownLine(), firstLine);
    QTRY_VERIFY(!inspector.isOpening());
    QVERIFY(inspector.viewer()->image().cacheKey() != first);
    QVERIFY(inspector.shownLine().startsWith(QStringLiteral("train/000002.png")));

    // A decode that takes long (here: the pool's threads all busy, so it cannot start): the
    // old picture gives way to a notice naming the file.
    QSemaphore release;
    QThreadPool* pool = QThreadPool::globalInstance();
    const int threads = pool->maxThreadCount();
    for (int i = 0; i < threads; ++i) pool->start([&release] { release.acquire(); });
    inspector.showSample(2);
    QTest::qWait(300);
    QVERIFY(inspector.isOpening());
    QVERIFY(inspector.viewer()->image().isNull());
    QVERIFY(inspector.viewer()->boxes().empty());
    QVERIFY2(inspector.viewer()->placeholder().contains(QStringLiteral("Opening 000003.png")),
             qPrintable(inspector.viewer()->placeholder()));
    QVERIFY(inspector.shownLine().startsWith(QStringLiteral("train/000003.png")));
    release.release(threads);
    QTRY_VERIFY(!inspector.isOpening());
    QCOMPARE(inspector.viewer()->image().size(), QSize(96, 96));
    QCOMPARE(inspector.viewer()->boxes().size(), written.classesPerImage[2].size());
  }

  void listsTheProblemsOfADataset() {
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bad.txt"));
    QFile out(file);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("missing.png 1,2,3\n");
    out.close();
    auto dataset = std::make_shared<const yolo::ui::LoadedDataset>(yolo::ui::loadDataset(file));
    SampleInspector inspector;
    inspector.setDataset(dataset);
    QVERIFY2(inspector.problemsText().contains(QStringLiteral("bad.txt:1")),
             qPrintable(inspector.problemsText()));
    inspector.showProblems({QStringLiteral("x.txt:3: 'q': not a box")});
    QCOMPARE(inspector.problemsText(), QStringLiteral("x.txt:3: 'q': not a box"));
  }
};

QTEST_MAIN(TestSampleInspector)
#include "test_sample_inspector.moc"
