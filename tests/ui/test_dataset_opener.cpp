// DatasetOpener: reads a dataset in the background, says why when it cannot, and a second
// choice replaces the first without the GUI thread waiting for it.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/support/squares_dataset.h"
#include "ui/data/dataset_opener.h"

using yolo::ui::DatasetOpener;
using yolo::ui::LoadedDataset;
using Dataset = std::shared_ptr<const LoadedDataset>;

Q_DECLARE_METATYPE(Dataset)

class TestDatasetOpener : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { qRegisterMetaType<Dataset>(); }

  void opensAMakeDataFolder() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 5, 3);
    DatasetOpener opener;
    QSignalSpy opened(&opener, &DatasetOpener::opened);
    opener.openDataset(written.folder);
    QVERIFY(opener.isOpening() || opened.count() == 1);
    QTRY_COMPARE(opened.count(), 1);
    const Dataset d = opened.at(0).at(0).value<Dataset>();
    QCOMPARE(d->size(), 8);
    QCOMPARE(d->classNames, (QStringList{QStringLiteral("square"), QStringLiteral("bar")}));
    QCOMPARE(d->splits.count(QStringLiteral("test")), 3);
    QVERIFY(opener.infoText().contains(QStringLiteral("8 images, 2 classes")));
    QVERIFY(!opener.isOpening());
  }

  // A folder named relative to the working folder (`yolo-workbench --dataset data/mine`):
  // every image is found where it is, not under the folder's name a second time.
  void aRelativeFolderFindsItsImages() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 3, 2);
    const QString before = QDir::currentPath();
    QVERIFY(QDir::setCurrent(dir.path()));
    const LoadedDataset d = yolo::ui::loadDataset(QStringLiteral("d"));
    QVERIFY(QDir::setCurrent(before));
    QCOMPARE(d.size(), 5);
    for (const auto& sample : d.samples) {
      const QString image = QString::fromStdString(sample.image.string());
      QVERIFY2(QFile::exists(QDir(dir.path()).filePath(image)), qPrintable(image));
    }
    QVERIFY2(d.lines.value(0).startsWith(QStringLiteral("train/000001.png")),
             qPrintable(d.lines.value(0)));
  }

  void aMissingPathFailsNamingIt() {
    QTemporaryDir dir;
    DatasetOpener opener;
    QSignalSpy failed(&opener, &DatasetOpener::failed);
    QSignalSpy opened(&opener, &DatasetOpener::opened);
    opener.openDataset(dir.filePath(QStringLiteral("missing.txt")));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("missing.txt")));
    QVERIFY(opener.infoText().startsWith(QStringLiteral("Could not open")));
    QCOMPARE(opened.count(), 0);
  }

  void aSecondChoiceReplacesTheFirstWithoutWaiting() {
    QTemporaryDir dir;
    // A big annotation file (all lines naming one image) takes a while to read.
    const auto small = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("small")), 2, 1);
    const QString big = dir.filePath(QStringLiteral("big.txt"));
    {
      QFile file(big);
      QVERIFY(file.open(QIODevice::WriteOnly));
      const QByteArray line =
          (small.folder + QStringLiteral("/train/000001.png 8,10,32,34,0\n")).toUtf8();
      for (int i = 0; i < 200000; ++i) file.write(line);
    }
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(yolo::ui::loadDataset(big).size(), 200000);
    const qint64 readingTheBigOne = clock.elapsed();

    DatasetOpener opener;
    QSignalSpy opened(&opener, &DatasetOpener::opened);
    clock.restart();
    opener.openDataset(big);
    opener.openDataset(small.folder);  // before the big one is read
    // Compared with the read itself, in this process: waiting for it would take as long.
    QVERIFY2(clock.elapsed() < readingTheBigOne / 2, "openDataset() waited for the earlier read");
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 30000);
    QTest::qWait(300);  // the first read has no late answer either
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).value<Dataset>()->size(), 3);
  }
};

QTEST_MAIN(TestDatasetOpener)
#include "test_dataset_opener.moc"
