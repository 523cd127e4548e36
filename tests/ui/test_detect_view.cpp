// DetectView with a checkpoint whose detections are known (tests/ui/support): the boxes and
// table show what infer::Detector finds on the same image, the score and NMS sliders change
// the number of boxes by re-filtering (no network run), and the device list offers what
// libtorch can use. A file that cannot be decoded is named where its picture would be.

#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QSlider>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>
#include <set>
#include <vector>

#include "core/infer/detection_explanation.h"
#include "core/infer/detector.h"
#include "core/util/image_file.h"
#include "tests/ui/support/certain_checkpoint.h"
#include "ui/common/box_image_view.h"
#include "ui/common/mat_image.h"
#include "ui/detect/detect_view.h"
#include "ui/detect/explanation_text.h"
#include "ui/detect/sketch_pad.h"

using yolo::ui::DetectView;

class TestDetectView : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  QString checkpoint_;
  QString image_;

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(dir_.isValid());
    checkpoint_ = QString::fromStdString(
        yolo::test::writeCertainCheckpoint(dir_.path().toStdString(), /*inputSize=*/64).string());
    QImage image(64, 64, QImage::Format_RGB32);
    image.fill(Qt::white);
    image_ = dir_.filePath(QStringLiteral("blank.png"));
    QVERIFY(image.save(image_));
  }

  void slidersRefilterToWhatTheDetectorGives() {
    DetectView view;
    view.show();
    QSignalSpy shown(&view, &DetectView::detectionsShown);
    QSignalSpy networkRuns(&view, &DetectView::detectRequested);
    QSignalSpy refilters(&view, &DetectView::refilterRequested);
    // One box per object off: it drops boxes nested in better ones whatever NMS keeps, and
    // the moves below show what the NMS slider does.
    view.setSettings(
        yolo::ui::DetectSettings{/*score=*/0.3f, /*iou=*/0.45f, /*oneLabelPerObject=*/false});
    view.loadModel(checkpoint_);
    QTRY_VERIFY_WITH_TIMEOUT(view.modelReady(), 60000);
    QCOMPARE(view.openImages({image_}), 1);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
    QCOMPARE(networkRuns.count(), 1);

    // The oracle: the same checkpoint and image through the core Detector.
    auto detector = yolo::infer::Detector::load(checkpoint_.toStdString(), "cpu");
    const auto first = detector->detect(yolo::readImageOrThrow(image_.toStdString()),
                                        yolo::ui::toDetectOptions(view.settings()));
    QVERIFY(!first.empty());
    QCOMPARE(view.detections().size(), static_cast<int>(first.size()));

    auto* score = view.findChild<QSlider*>(QStringLiteral("scoreThreshold"));
    auto* nms = view.findChild<QSlider*>(QStringLiteral("nmsThreshold"));
    QVERIFY(score && nms);
    // Each move waits for its result, so every move is one request.
    const std::vector<std::pair<int, int>> moves{{65, 45}, {65, 95}, {30, 95}, {30, 5}, {95, 45}};
    std::set<int> counts{static_cast<int>(view.detections().size())};
    std::vector<int> shownCounts;
    for (const auto& [s, n] : moves) {
      const int before = static_cast<int>(shown.count());
      score->setValue(s);
      nms->setValue(n);
      QTRY_VERIFY_WITH_TIMEOUT(
          shown.count() > before && view.table()->rowCount() == view.detections().size(), 30000);
      // Both sliders moved before the first result came back: the last wish follows it.
      const auto expected = detector->refilter(yolo::ui::toDetectOptions(view.settings()));
      QTRY_COMPARE_WITH_TIMEOUT(view.detections().size(), static_cast<int>(expected.size()), 30000);
      QCOMPARE(view.table()->rowCount(), static_cast<int>(expected.size()));
      QCOMPARE(view.imageView()->boxes().size(), static_cast<int>(expected.size()));
      counts.insert(static_cast<int>(expected.size()));
      shownCounts.push_back(static_cast<int>(expected.size()));
    }
    QCOMPARE(networkRuns.count(), 1);  // thresholds never ran the network again
    QVERIFY(refilters.count() >= static_cast<int>(moves.size()));
    // The moves do change what is shown: a higher score threshold keeps fewer boxes, and a
    // looser NMS keeps more of the overlapping ones.
    QVERIFY2(counts.size() >= 3, "the sliders should give at least three different counts");
    QVERIFY(shownCounts[0] < static_cast<int>(first.size()));  // score 0.65 < 0.30
    QVERIFY(shownCounts[1] > shownCounts[0]);                  // NMS 0.95 > 0.45
    QVERIFY(shownCounts[3] < shownCounts[2]);                  // NMS 0.05 < 0.95
    QCOMPARE(shownCounts[4], 0);                               // no score reaches 0.95
  }

  void aSelectedDetectionIsExplainedAndEmptyGroundToo() {
    DetectView view;
    view.resize(1000, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy shown(&view, &DetectView::detectionsShown);
    view.setSettings(yolo::ui::DetectSettings{0.3f, 0.45f, true});
    view.loadModel(checkpoint_);
    QTRY_VERIFY_WITH_TIMEOUT(view.modelReady(), 60000);
    QCOMPARE(view.openImages({image_}), 1);
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(view.settled(), 30000);
    QVERIFY(!view.detections().isEmpty());

    // The oracle: the core's explanation of the same detection.
    auto detector = yolo::infer::Detector::load(checkpoint_.toStdString(), "cpu");
    detector->detect(yolo::readImageOrThrow(image_.toStdString()),
                     yolo::ui::toDetectOptions(view.settings()));
    const auto explained = detector->explain(yolo::ui::toDetectOptions(view.settings()));
    QCOMPARE(static_cast<int>(explained.size()), view.detections().size());
    const auto expected = yolo::ui::toExplanationRecord(explained[0]);

    view.table()->selectRow(0);
    QTRY_COMPARE_WITH_TIMEOUT(view.explanation()->text(), expected.text, 10000);
    QVERIFY(view.explanation()->text().contains(QStringLiteral("stride")));
    QCOMPARE(view.imageView()->dashedBoxCount(), expected.removed.size());

    // Resting the mouse where no box is asks why nothing (else) is there; the answer names
    // the strongest candidate at that point that is not a detection, as the core does. (The
    // certain model boxes every cell, so the view is told of the rest directly.)
    auto* imageView = view.imageView();
    const QPointF empty(5, 60);
    const auto options = yolo::ui::toDetectOptions(view.settings());
    const QString why = yolo::ui::describeUndetected(
        detector->strongestUndetectedAt(static_cast<float>(empty.x()),
                                        static_cast<float>(empty.y()), options),
        options.scoreThreshold);
    Q_EMIT imageView->pointHovered(empty);
    QTRY_COMPARE_WITH_TIMEOUT(view.explanation()->text(), why, 10000);
    QCOMPARE(view.table()->currentRow(), -1);
    QCOMPARE(imageView->dashedBoxCount(), 0);

    // On the drawing pad too: a stroke, its detections, the first one explained with its
    // removed candidates dashed on the canvas.
    view.showDrawingPad();
    auto* pad = view.sketchPad();
    const int before = static_cast<int>(shown.count());
    QTest::mousePress(pad, Qt::LeftButton, {}, QPoint(pad->width() / 2, pad->height() / 3));
    QTest::mouseMove(pad, QPoint(pad->width() / 2, pad->height() * 2 / 3));
    QTest::mouseRelease(pad, Qt::LeftButton, {}, QPoint(pad->width() / 2, pad->height() * 2 / 3));
    QTRY_VERIFY_WITH_TIMEOUT(shown.count() > before && view.settled(), 60000);
    QVERIFY(!view.detections().isEmpty());
    detector->detect(yolo::ui::toMat(pad->image()), options);
    const auto drawn = yolo::ui::toExplanationRecord(detector->explain(options)[0]);
    view.table()->selectRow(0);
    QTRY_COMPARE_WITH_TIMEOUT(view.explanation()->text(), drawn.text, 10000);
    QCOMPARE(pad->dashedBoxCount(), drawn.removed.size());
  }

  void aFileThatFailsToDecodeIsNamedWhereItsPictureWouldBe() {
    QTemporaryDir dir;
    // A JPEG by its name and first bytes, which end after the first marker: listed from a
    // folder, refused by the decoder when shown.
    QFile truncated(dir.filePath(QStringLiteral("cut.jpg")));
    QVERIFY(truncated.open(QIODevice::WriteOnly));
    truncated.write("\xff\xd8\xff\xe0", 4);
    truncated.close();
    DetectView view;
    QSignalSpy said(&view, &DetectView::statusMessage);
    QCOMPARE(view.openImages({dir.path()}), 1);
    QTRY_VERIFY(view.imageView()->placeholder().startsWith(QStringLiteral("Cannot read")));
    QVERIFY(view.imageView()->placeholder().contains(QStringLiteral("cut.jpg")));
    QVERIFY(view.imageView()->image().isNull());
    QCOMPARE(said.last().at(0).toString(), view.imageView()->placeholder());

    // The next picture shown takes the message's place.
    QImage picture(40, 30, QImage::Format_RGB32);
    picture.fill(Qt::white);
    view.addImage(QStringLiteral("pasted"), picture);
    QCOMPARE(view.imageView()->image().size(), QSize(40, 30));
    QVERIFY(!view.imageView()->placeholder().startsWith(QStringLiteral("Cannot read")));
  }

  void deviceListOffersAutoAndCpu() {
    DetectView view;
    auto* device = view.findChild<QComboBox*>(QStringLiteral("device"));
    QVERIFY(device);
    QCOMPARE(device->itemText(0), QStringLiteral("auto"));
    QCOMPARE(device->itemText(1), QStringLiteral("cpu"));
    for (int i = 2; i < device->count(); ++i)
      QVERIFY(device->itemText(i).startsWith(QStringLiteral("cuda:")));

    QSignalSpy loads(&view, &DetectView::loadRequested);
    view.setDevice(QStringLiteral("cpu"));
    view.loadModel(checkpoint_);
    QCOMPARE(loads.count(), 1);
    QCOMPARE(loads.at(0).at(1).toString(), QStringLiteral("cpu"));
    QTRY_VERIFY_WITH_TIMEOUT(view.modelReady(), 60000);
    // Choosing another device reloads the model there.
    view.setDevice(QStringLiteral("auto"));
    QCOMPARE(loads.count(), 2);
    QCOMPARE(loads.at(1).at(0).toString(), checkpoint_);
    QCOMPARE(loads.at(1).at(1).toString(), QStringLiteral("auto"));
    QTRY_VERIFY_WITH_TIMEOUT(view.modelReady(), 60000);
  }
};

QTEST_MAIN(TestDetectView)
#include "test_detect_view.moc"
