// DataView: its parts work together. An opened dataset reaches the browser and the
// inspector, the selected image is shown, a make-data folder is offered to the Train view,
// and a generated dataset (with the MNIST digits) is opened as soon as it is written.

#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/support/squares_dataset.h"
#include "ui/common/box_image_view.h"
#include "ui/data/data_view.h"
#include "ui/data/dataset_browser.h"
#include "ui/data/dataset_filter.h"
#include "ui/data/dataset_opener.h"
#include "ui/data/digit_fetcher.h"
#include "ui/data/generator_panel.h"
#include "ui/data/sample_inspector.h"

using yolo::ui::DataView;

class TestDataView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void anOpenedFolderIsBrowsedInspectedAndOfferedForTraining() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 4, 2);
    DataView view;
    view.resize(1200, 700);
    view.show();
    QSignalSpy loaded(&view, &DataView::datasetLoaded);
    QSignalSpy ready(&view, &DataView::datasetFolderReady);
    view.openDataset(written.folder);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(loaded.at(0).at(0).toInt(), 6);
    QCOMPARE(ready.count(), 1);
    QCOMPARE(ready.at(0).at(0).toString(), written.folder);
    QCOMPARE(view.dataset()->size(), 6);
    QCOMPARE(view.browser()->filter()->rowCount(), 6);
    // The browser selected the first image; the inspector shows it once it is decoded.
    QCOMPARE(view.inspector()->shownRow(), 0);
    QTRY_VERIFY(!view.inspector()->isOpening());
    QCOMPARE(view.inspector()->viewer()->boxes().size(), written.classesPerImage[0].size());
    QVERIFY(view.inspector()->shownLine().startsWith(QStringLiteral("train/000001.png")));
  }

  void aFailedOpenListsItsProblemsAndKeepsTheShownDataset() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 3, 0);
    DataView view;
    QSignalSpy loaded(&view, &DataView::datasetLoaded);
    QSignalSpy failed(&view, &DataView::loadFailed);
    view.openDataset(written.folder);
    QTRY_COMPARE(loaded.count(), 1);
    view.openDataset(dir.filePath(QStringLiteral("missing.txt")));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("missing.txt")));
    QCOMPARE(view.dataset()->size(), 3);  // what was shown stays
    QCOMPARE(view.browser()->filter()->rowCount(), 3);
  }

  void theLastDatasetIsOpenedAgainAfterARestart() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 2, 1);
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    {
      DataView view;
      QSignalSpy loaded(&view, &DataView::datasetLoaded);
      view.openDataset(written.folder);
      QTRY_COMPARE(loaded.count(), 1);
      view.saveSettings(settings);
    }
    DataView again;
    QSignalSpy loaded(&again, &DataView::datasetLoaded);
    again.restoreSettings(settings);
    QTRY_COMPARE(loaded.count(), 1);
    QCOMPARE(again.dataset()->source, written.folder);
  }

  void theShownDatasetExportsAsCocoAndReadsBack() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 4, 2);
    DataView view;
    QVERIFY(!view.exportDataset(QStringLiteral("coco"), dir.filePath(QStringLiteral("none"))));
    QSignalSpy loaded(&view, &DataView::datasetLoaded);
    view.openDataset(written.folder);
    QTRY_COMPARE(loaded.count(), 1);

    QSignalSpy exported(&view, &DataView::exported);
    QSignalSpy failed(&view, &DataView::exportFailed);
    const QString out = dir.filePath(QStringLiteral("coco"));
    QVERIFY(view.exportDataset(QStringLiteral("coco"), out));
    QTRY_COMPARE(exported.count() + failed.count(), 1);
    QCOMPARE(exported.count(), 1);
    const yolo::ui::LoadedDataset back = yolo::ui::loadDataset(out);
    QCOMPARE(back.kind, QStringLiteral("coco"));
    QCOMPARE(back.size(), 6);
    QCOMPARE(back.splits.count(QStringLiteral("test")), 2);
    QCOMPARE(back.classNames, (QStringList{QStringLiteral("square"), QStringLiteral("bar")}));

    // A folder that holds files is never written into.
    QVERIFY(view.exportDataset(QStringLiteral("voc"), written.folder));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(failed.at(0).at(0).toString().contains(QStringLiteral("not an empty folder")),
             qPrintable(failed.at(0).at(0).toString()));
  }

  void aGeneratedDatasetIsOpenedWhenWritten() {
    if (yolo::ui::DigitFetcher::findDigits().isEmpty())  // a set-up error: fail, never skip
      QFAIL("the MNIST digits are missing: run datasets/fetch_mnist.sh");
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("data"));
    DataView view;
    auto config = view.generator()->generatorConfig();
    config.trainImages = 3;
    config.testImages = 1;
    view.generator()->setGeneratorConfig(config);
    view.generator()->setOutputFolder(out);
    QSignalSpy ready(&view, &DataView::datasetFolderReady);
    QSignalSpy loaded(&view, &DataView::datasetLoaded);
    QSignalSpy busy(&view, &DataView::busyChanged);
    QVERIFY(view.generate());
    QVERIFY(view.isBusy());
    QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 120000);
    QCOMPARE(loaded.at(0).at(0).toInt(), 4);
    QVERIFY(!ready.isEmpty());
    QCOMPARE(ready.at(0).at(0).toString(), out);
    QVERIFY(!busy.isEmpty());
    QCOMPARE(busy.last().at(0).toBool(), false);
    QVERIFY(view.browser()->countsText().startsWith(QStringLiteral("Boxes per class")));
  }
};

QTEST_MAIN(TestDataView)
#include "test_data_view.moc"
