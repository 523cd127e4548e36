// DatasetBrowser: lists a dataset, filters it by class, split and name, and counts the boxes
// of each class over the whole dataset whatever the filter shows.

#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/support/squares_dataset.h"
#include "ui/data/dataset_browser.h"
#include "ui/data/dataset_filter.h"
#include "ui/data/dataset_model.h"

using yolo::ui::DatasetBrowser;
using yolo::ui::DatasetModel;

class TestDatasetBrowser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void init() {
    QVERIFY(dir_.isValid());
    written_ = yolo::test::writeSquaresDataset(dir_.filePath(QStringLiteral("d")), 6, 3);
    dataset_ =
        std::make_shared<const yolo::ui::LoadedDataset>(yolo::ui::loadDataset(written_.folder));
    QCOMPARE(dataset_->size(), 9);
  }

  void listsAndCountsTheWholeDataset() {
    DatasetBrowser browser;
    QSignalSpy selected(&browser, &DatasetBrowser::sampleSelected);
    browser.setDataset(dataset_);
    QCOMPARE(browser.model()->rowCount(), 9);
    QCOMPARE(browser.filter()->rowCount(), 9);
    QCOMPARE(browser.shownText(), QStringLiteral("9 of 9 images shown"));
    const QString counts = browser.countsText();
    QVERIFY2(counts.contains(QStringLiteral("square: %1").arg(written_.boxesPerClass[0])),
             qPrintable(counts));
    QVERIFY2(counts.contains(QStringLiteral("bar: %1").arg(written_.boxesPerClass[1])),
             qPrintable(counts));
    QCOMPARE(selected.count(), 1);  // the first image is selected for the inspector
    QCOMPARE(selected.at(0).at(0).toInt(), 0);
  }

  void filtersChangeWhatIsShownButNotTheCounts() {
    DatasetBrowser browser;
    browser.setDataset(dataset_);
    const QString counts = browser.countsText();

    browser.setClassFilter(1);  // bars: the even images of each split
    int withBar = 0;
    for (const auto& classes : written_.classesPerImage) withBar += classes.contains(1);
    QCOMPARE(browser.filter()->rowCount(), withBar);
    for (int r = 0; r < browser.filter()->rowCount(); ++r) {
      const auto ids =
          browser.filter()->index(r, 0).data(DatasetModel::ClassesRole).value<QList<int>>();
      QVERIFY(ids.contains(1));
    }
    QCOMPARE(browser.shownText(), QStringLiteral("%1 of 9 images shown").arg(withBar));
    QCOMPARE(browser.countsText(), counts);
    browser.setClassFilter(-1);

    browser.setNameFilter(QStringLiteral("000002"));  // one in each split
    QCOMPARE(browser.filter()->rowCount(), 2);
    QCOMPARE(browser.countsText(), counts);
    browser.setNameFilter(QStringLiteral("no-such-image"));
    QCOMPARE(browser.filter()->rowCount(), 0);
    QCOMPARE(browser.shownText(), QStringLiteral("0 of 9 images shown"));
    browser.setNameFilter(QString());
    QCOMPARE(browser.filter()->rowCount(), 9);
  }

  void aNewDatasetClearsTheFilters() {
    DatasetBrowser browser;
    browser.setDataset(dataset_);
    browser.setNameFilter(QStringLiteral("no-such-image"));
    browser.setClassFilter(1);
    browser.setDataset(dataset_);
    QCOMPARE(browser.filter()->rowCount(), 9);
  }

  void selectingAnImageNamesItsDatasetRow() {
    DatasetBrowser browser;
    browser.setDataset(dataset_);
    browser.setNameFilter(QStringLiteral("000003"));  // train/000003.png, then test/000003.png
    QCOMPARE(browser.filter()->rowCount(), 2);
    QSignalSpy selected(&browser, &DatasetBrowser::sampleSelected);
    browser.grid()->setCurrentIndex(browser.filter()->index(1, 0));
    QCOMPARE(selected.count(), 1);
    QCOMPARE(selected.at(0).at(0).toInt(), 8);  // 6 train images, then test 1..3
  }

 private:
  QTemporaryDir dir_;
  yolo::test::SquaresDataset written_;
  std::shared_ptr<const yolo::ui::LoadedDataset> dataset_;
};

QTEST_MAIN(TestDatasetBrowser)
#include "test_dataset_browser.moc"
