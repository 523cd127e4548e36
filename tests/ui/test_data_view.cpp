// DataView: Generate writes a dataset off the GUI thread and the browser lists it with the
// right counts, filters by class, split and name, and shows an image's boxes.

#include <QDir>
#include <QFile>
#include <QListView>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/common/box_image_view.h"
#include "ui/data/data_view.h"
#include "ui/data/dataset_filter.h"
#include "ui/data/dataset_model.h"
#include "ui/data/digit_fetcher.h"

using yolo::ui::DatasetModel;
using yolo::ui::DataView;

namespace {

// Every box token of an annotation file, as class ids, per line.
QVector<QVector<int>> classesPerLine(const QString& path) {
  QVector<QVector<int>> out;
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) return out;
  const QRegularExpression box(QStringLiteral("(\\d+),(\\d+),(\\d+),(\\d+),(\\d+)"));
  for (const QString& line :
       QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
    QVector<int> ids;
    for (auto it = box.globalMatch(line); it.hasNext();) ids << it.next().captured(5).toInt();
    out << ids;
  }
  return out;
}

}  // namespace

class TestDataView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    if (yolo::ui::DigitFetcher::findDigits().isEmpty()) {
      QSKIP("MNIST digits not fetched (run datasets/fetch_mnist.sh or set YOLO_SOURCE_DIR)");
    }
  }

  void generateThenBrowse() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString out = dir.filePath(QStringLiteral("data"));
    DataView view;
    view.resize(1200, 700);
    view.show();
    auto config = view.generatorConfig();
    config.trainImages = 6;
    config.testImages = 2;
    config.seed = 7;
    view.setGeneratorConfig(config);
    view.setOutputFolder(out);

    QSignalSpy finished(&view, &DataView::generationFinished);
    QSignalSpy failed(&view, &DataView::generationFailed);
    QSignalSpy ready(&view, &DataView::datasetFolderReady);
    QSignalSpy loaded(&view, &DataView::datasetLoaded);
    QVERIFY(view.generate());
    QVERIFY(view.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(finished.at(0).at(0).toString(), out);
    QVERIFY(!ready.isEmpty());

    // The files the generator promises.
    QCOMPARE(QDir(out + QStringLiteral("/train")).entryList({QStringLiteral("*.jpg")}).size(), 6);
    QCOMPARE(QDir(out + QStringLiteral("/test")).entryList({QStringLiteral("*.jpg")}).size(), 2);
    const auto train = classesPerLine(out + QStringLiteral("/train.txt"));
    const auto test = classesPerLine(out + QStringLiteral("/test.txt"));
    QCOMPARE(train.size(), 6);
    QCOMPARE(test.size(), 2);

    // The browser lists them all, with the right counts per class.
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 30000);
    QCOMPARE(loaded.at(0).at(0).toInt(), 8);
    QCOMPARE(view.model()->rowCount(), 8);
    QCOMPARE(view.filter()->rowCount(), 8);
    QVector<int> perClass(10, 0);
    for (const auto& ids : train + test)
      for (int id : ids) ++perClass[id];
    for (int c = 0; c < 10; ++c) {
      QVERIFY2(view.countsText().contains(QStringLiteral("%1: %2").arg(c).arg(perClass[c])),
               qPrintable(view.countsText()));
    }

    // Class filter: exactly the images holding that class.
    int someClass = -1;
    for (int c = 0; c < 10 && someClass < 0; ++c)
      if (perClass[c] > 0) someClass = c;
    QVERIFY(someClass >= 0);
    int withClass = 0;
    for (const auto& ids : train + test) withClass += ids.contains(someClass) ? 1 : 0;
    view.setClassFilter(someClass);
    QCOMPARE(view.filter()->rowCount(), withClass);
    for (int r = 0; r < view.filter()->rowCount(); ++r) {
      const auto ids =
          view.filter()->index(r, 0).data(DatasetModel::ClassesRole).value<QList<int>>();
      QVERIFY(ids.contains(someClass));
    }
    view.setClassFilter(-1);

    // Name search: 000001.jpg exists in both splits.
    view.setNameFilter(QStringLiteral("000001"));
    QCOMPARE(view.filter()->rowCount(), 2);
    view.setNameFilter(QStringLiteral("no-such-image"));
    QCOMPARE(view.filter()->rowCount(), 0);
    view.setNameFilter(QString());
    QCOMPARE(view.filter()->rowCount(), 8);

    // Thumbnails are made in the background once the grid asks for them.
    QTRY_VERIFY_WITH_TIMEOUT(view.model()->thumbnailsReady() > 0, 20000);

    // The viewer shows the selected image's boxes and its annotation line.
    view.showSample(0);
    QCOMPARE(view.viewer()->boxes().size(), train[0].size());
    QVERIFY(!view.viewer()->image().isNull());
    QVERIFY(view.shownLine().startsWith(QStringLiteral("train/000001.jpg")));
  }

  void cancelStopsGeneration() {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("big"));
    DataView view;
    auto config = view.generatorConfig();
    config.trainImages = 100000;
    config.testImages = 0;
    view.setGeneratorConfig(config);
    view.setOutputFolder(out);
    QSignalSpy cancelled(&view, &DataView::generationCancelled);
    QSignalSpy finished(&view, &DataView::generationFinished);
    QVERIFY(view.generate());
    QTest::qWait(200);
    view.cancelWork();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
    QCOMPARE(finished.count(), 0);
    QVERIFY(!QFile::exists(out + QStringLiteral("/train.txt")));  // never half an annotation file
    QVERIFY(!view.isBusy());
  }

  void badConfigIsRefusedNotCrashed() {
    DataView view;
    view.setOutputFolder(QString());
    QVERIFY(!view.generate());
    QVERIFY(!view.isBusy());
  }

  void openingSomethingUnreadableSaysWhy() {
    QTemporaryDir dir;
    DataView view;
    QSignalSpy failed(&view, &DataView::loadFailed);
    view.openDataset(dir.filePath(QStringLiteral("missing.txt")));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("missing.txt")));
  }
};

QTEST_MAIN(TestDataView)
#include "test_data_view.moc"
