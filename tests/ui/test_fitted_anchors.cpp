// Anchors fitted to a dataset in the Statistics view reach the next run: the view fits them
// off the GUI thread and says how well they and the defaults fit, "Use anchors fitted to this
// data" hands them on, and the Train view's form puts them in the run's config (and refuses
// text that is no anchor list, falling back to the defaults).

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "core/data/anchor_fit.h"
#include "tests/ui/support/squares_dataset.h"
#include "ui/data/dataset_stats_view.h"
#include "ui/data/loaded_dataset.h"
#include "ui/train/run_config_form.h"

using yolo::ui::DatasetStatsView;
using yolo::ui::RunConfigForm;

class TestFittedAnchors : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void theStatisticsViewFitsAnchorsAndHandsThemOn() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 6, 2);
    auto dataset =
        std::make_shared<const yolo::ui::LoadedDataset>(yolo::ui::loadDataset(written.folder));
    DatasetStatsView view;
    view.findChild<QComboBox*>(QStringLiteral("statsArchitecture"))
        ->setCurrentText(QStringLiteral("yolov3-tiny"));
    auto* use = view.findChild<QPushButton*>(QStringLiteral("useFittedAnchors"));
    QVERIFY(!use->isEnabled());
    view.setDataset(dataset);
    // Two shapes only (squares and bars, 6 training images: 6 squares, 3 bars): both come
    // back, rounded to whole pixels, so the fit is all but perfect; the defaults are not.
    QTRY_VERIFY2(view.anchorFitText().contains(QStringLiteral("fitted")),
                 qPrintable(view.anchorFitText()));
    const auto numbers =
        QRegularExpression(QStringLiteral("of (\\d+) training boxes.*default anchors ([0-9.]+), "
                                          "fitted ([0-9.]+)"))
            .match(view.anchorFitText());
    QVERIFY2(numbers.hasMatch(), qPrintable(view.anchorFitText()));
    QCOMPARE(numbers.captured(1).toInt(), 9);
    QVERIFY2(numbers.captured(3).toDouble() > 0.99, qPrintable(view.anchorFitText()));
    QVERIFY2(numbers.captured(3).toDouble() > numbers.captured(2).toDouble(),
             qPrintable(view.anchorFitText()));
    QVERIFY(use->isEnabled());

    QSignalSpy chosen(&view, &DatasetStatsView::anchorsChosen);
    use->click();
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen[0][0].toString(), QStringLiteral("yolov3-tiny"));
    const QString anchors = chosen[0][1].toString();
    // 96 px images letterboxed to 416: squares 24 -> 104, bars 10x40 -> 43x173.
    const auto flat = yolo::data::flatten(yolo::data::parseAnchors(anchors.toStdString(), 2));
    QVERIFY2(std::find(flat.begin(), flat.end(), yolo::data::BoxShape{104, 104}) != flat.end(),
             qPrintable(anchors));
    QVERIFY2(std::find(flat.begin(), flat.end(), yolo::data::BoxShape{43, 173}) != flat.end(),
             qPrintable(anchors));

    RunConfigForm form;
    form.useAnchors(QStringLiteral("yolov3-tiny"), anchors);
    const auto config = form.config();
    QCOMPARE(QString::fromStdString(config.model.architecture), QStringLiteral("yolov3-tiny"));
    QCOMPARE(config.model.anchors, yolo::data::parseAnchors(anchors.toStdString(), 2));
    // The form shows them again from a config (a restored session).
    RunConfigForm restored;
    restored.setConfig(config);
    QCOMPARE(restored.config().model.anchors, config.model.anchors);
    QVERIFY(!restored.anchorsText().isEmpty());
  }

  void textThatIsNoAnchorListIsRefusedAndTheDefaultsUsed() {
    RunConfigForm form;
    form.show();
    auto* field = form.findChild<QLineEdit*>(QStringLiteral("anchors"));
    auto* message = form.findChild<QLabel*>(QStringLiteral("anchorsMessage"));
    QVERIFY(field && message);
    const auto defaults = yolo::model::defaultAnchors(form.config().model.architecture);
    QCOMPARE(form.config().model.anchors, defaults);
    field->setText(QStringLiteral("10,14, 23"));
    QVERIFY(!message->isHidden());
    QVERIFY2(message->text().contains(QStringLiteral("expected")), qPrintable(message->text()));
    QCOMPARE(form.config().model.anchors, defaults);
    // Another model has another number of scales: the field empties, its defaults apply.
    form.useAnchors(QStringLiteral("yolov3-tiny"), QStringLiteral("1,1, 2,2, 3,3, 4,4, 5,5, 6,6"));
    QVERIFY(message->isHidden());
    form.findChild<QComboBox*>(QStringLiteral("architecture"))
        ->setCurrentText(QStringLiteral("yolov3"));
    QVERIFY(form.anchorsText().isEmpty());
    QCOMPARE(form.config().model.anchors, yolo::model::defaultAnchors("yolov3"));
  }
};

QTEST_MAIN(TestFittedAnchors)
#include "test_fitted_anchors.moc"
