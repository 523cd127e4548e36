// ErrorBrowser: the images with errors of a hand-made evaluation, filtered by kind and class
// and sorted as asked, each with a thumbnail; an opened one names its image.

#include <QImage>
#include <QListWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

#include "core/eval/error_analysis.h"
#include "tests/core/eval_cases.h"
#include "ui/eval/error_browser.h"
#include "ui/eval/evaluation_job.h"

using yolo::ui::ErrorBrowser;
using yolo::ui::ErrorFilter;

using yolo::test::objectBox;
using yolo::test::scoredDetection;

class TestErrorBrowser : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void listsFiltersSortsAndDrawsTheImagesWithErrors() {
    QTemporaryDir dir;
    auto evaluation = std::make_shared<yolo::ui::Evaluation>();
    evaluation->classNames = {"a", "b"};
    auto& r = evaluation->report;
    for (int i = 0; i < 3; ++i) {
      const QString path = dir.filePath(QStringLiteral("%1.png").arg(i));
      QImage image(64, 64, QImage::Format_RGB32);
      image.fill(Qt::white);
      QVERIFY(image.save(path));
      r.imagePaths.push_back(path.toStdString());
    }
    // 0: an "a" read as "b" at 0.8: a wrong-class box and an object found as another class.
    r.groundTruth.push_back({objectBox(0, 0, 20, 20, 0)});
    r.detections.push_back({scoredDetection(0, 0, 20, 20, 0.8f, 1)});
    // 1: an "a" found, found again at 0.6 (duplicate), a "b" box on nothing at 0.7, a "b" missed.
    r.groundTruth.push_back({objectBox(10, 10, 30, 30, 0), objectBox(40, 0, 60, 20, 1)});
    r.detections.push_back({scoredDetection(10, 10, 30, 30, 0.9f, 0),
                            scoredDetection(11, 11, 31, 31, 0.6f, 0),
                            scoredDetection(40, 40, 60, 60, 0.7f, 1)});
    // 2: a "b" missed.
    r.groundTruth.push_back({objectBox(5, 5, 25, 25, 1)});
    r.detections.push_back({});
    const auto analysis = yolo::eval::analyseErrors(r.groundTruth, r.detections, 2);

    ErrorBrowser browser;
    browser.setErrors(evaluation, analysis);
    const auto images = [&] {
      QVector<int> order;
      for (int i = 0; i < browser.list()->count(); ++i)
        order << browser.list()->item(i)->text().section(QLatin1Char('.'), 0, 0).toInt();
      return order;
    };
    QCOMPARE(images(), (QVector<int>{1, 0, 2}));  // most errors first: 3, 2, 1
    QVERIFY(browser.list()->item(0)->toolTip().contains(QStringLiteral("1 duplicate")));
    QTRY_COMPARE_WITH_TIMEOUT(browser.thumbnailsDrawn(), 3, 10000);
    QVERIFY(!browser.list()->item(0)->icon().isNull());

    ErrorFilter f;
    f.kind = ErrorFilter::Kind::kDuplicate;
    browser.setFilter(f);
    QCOMPARE(images(), (QVector<int>{1}));
    f.kind = ErrorFilter::Kind::kNotFound;
    browser.setFilter(f);
    QCOMPARE(images(), (QVector<int>{0, 1, 2}));  // one each: ties stay in image order
    f.kind = ErrorFilter::Kind::kAll;
    f.classId = 1;  // "b": the wrong-class box, the background box, the two missed "b"s
    browser.setFilter(f);
    QCOMPARE(images(), (QVector<int>{1, 0, 2}));
    f.classId = -1;
    f.order = ErrorFilter::Order::kMostConfidentMistake;
    browser.setFilter(f);
    QCOMPARE(images(), (QVector<int>{0, 1, 2}));  // 0.8, 0.7, none

    QSignalSpy opened(&browser, &ErrorBrowser::imageOpened);
    Q_EMIT browser.list()->itemActivated(browser.list()->item(1));
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.at(0).at(0).toString(), dir.filePath(QStringLiteral("1.png")));
  }
};

QTEST_MAIN(TestErrorBrowser)
#include "test_error_browser.moc"
