// MainWindow: views switch from menus, an image dropped anywhere opens Detect and shows
// what the Detector finds in it, settings persist between launches.

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include "core/infer/detector.h"
#include "core/util/image_file.h"
#include "tests/ui/support/certain_checkpoint.h"
#include "ui/common/box_image_view.h"
#include "ui/data/data_view.h"
#include "ui/detect/detect_view.h"
#include "ui/detect/detection_worker.h"
#include "ui/eval/evaluation_view.h"
#include "ui/main_window.h"
#include "ui/train/run_config_form.h"
#include "ui/train/train_view.h"

using yolo::ui::MainWindow;

namespace {

QAction* actionWithShortcut(QWidget* window, const QKeySequence& keys) {
  for (QAction* action : window->findChildren<QAction*>()) {
    if (action->shortcut() == keys) return action;
  }
  return nullptr;
}

QString writeImage(const QTemporaryDir& dir, const QString& name, int width = 64, int height = 48) {
  QImage image(width, height, QImage::Format_RGB32);
  image.fill(Qt::white);
  const QString path = dir.filePath(name);
  image.save(path);
  return path;
}

// What a file manager does: drag enter (which picks the target widget), then drop.
bool dragAndDrop(QWidget* target, const QMimeData& mime) {
  QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &enter);
  if (!enter.isAccepted()) return false;
  QDropEvent drop(QPointF(5, 5), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
  QApplication::sendEvent(target, &drop);
  return drop.isAccepted();
}

}  // namespace

class TestMainWindow : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() {
    QStandardPaths::setTestModeEnabled(true);  // keep the user's settings out of it
    QCoreApplication::setOrganizationName(QStringLiteral("yolo-workbench-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("test_main_window"));
    QSettings().clear();
  }

  void hasFourViewsAndMenus() {
    MainWindow window;
    QCOMPARE(window.views()->count(), 4);
    QCOMPARE(window.views()->widget(MainWindow::kEvaluate),
             static_cast<QWidget*>(window.evaluationView()));
    QStringList menus;
    for (QAction* a : window.menuBar()->actions()) menus << a->text().remove(QLatin1Char('&'));
    QVERIFY(menus.contains(QStringLiteral("File")));
    QVERIFY(menus.contains(QStringLiteral("Help")));
    QVERIFY(actionWithShortcut(&window, QKeySequence::Open));
    QVERIFY(actionWithShortcut(&window, QKeySequence::Quit));
  }

  void viewsSwitchFromShortcuts() {
    MainWindow window;
    for (int i = 0; i < 4; ++i) {
      QAction* action =
          actionWithShortcut(&window, QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
      QVERIFY(action);
      action->trigger();
      QCOMPARE(window.views()->currentIndex(), i);
    }
    window.showView(MainWindow::kTrain);
    QCOMPARE(window.views()->currentWidget(), static_cast<QWidget*>(window.trainView()));
  }

  void trainingActionsFollowTheState() {
    MainWindow window;
    QAction* start = actionWithShortcut(&window, QKeySequence(Qt::CTRL | Qt::Key_R));
    QAction* stop = actionWithShortcut(&window, QKeySequence(Qt::CTRL | Qt::Key_Period));
    QVERIFY(start && stop);
    QVERIFY(start->isEnabled());
    QVERIFY(!stop->isEnabled());
  }

  void droppedImageOpensDetect() {
    QTemporaryDir dir;
    const QString a = writeImage(dir, QStringLiteral("a.png"));
    const QString b = writeImage(dir, QStringLiteral("b.jpg"));
    MainWindow window;
    window.show();
    window.showView(MainWindow::kData);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(a), QUrl::fromLocalFile(b)});
    QVERIFY(dragAndDrop(&window, mime));
    QCOMPARE(window.views()->currentIndex(), static_cast<int>(MainWindow::kDetect));
    QCOMPARE(window.detectView()->imageCount(), 2);
    QCOMPARE(window.detectView()->currentImage(), 0);
  }

  void droppedImageShowsTheDetectorsBoxes() {
    QTemporaryDir dir;
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("run"))));
    const QString checkpoint = QString::fromStdString(
        yolo::test::writeCertainCheckpoint(dir.path().toStdString(), /*inputSize=*/64).string());
    const QString image = writeImage(dir, QStringLiteral("digits.png"), 80, 64);
    MainWindow window;
    window.show();
    window.showView(MainWindow::kData);
    yolo::ui::DetectView* detect = window.detectView();
    detect->loadModel(checkpoint);
    QTRY_VERIFY_WITH_TIMEOUT(detect->modelReady(), 60000);
    QSignalSpy shown(detect, &yolo::ui::DetectView::detectionsShown);

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(image)});
    QVERIFY(dragAndDrop(&window, mime));
    QCOMPARE(window.views()->currentIndex(), static_cast<int>(MainWindow::kDetect));
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, 60000);

    // What the core Detector finds in the same file with the view's settings.
    const yolo::infer::DetectOptions options = yolo::ui::toDetectOptions(detect->settings());
    const auto expected = yolo::infer::Detector::load(checkpoint.toStdString(), "cpu")
                              ->detect(yolo::readImageOrThrow(image.toStdString()), options);
    QVERIFY(!expected.empty());
    const int n = static_cast<int>(expected.size());
    QCOMPARE(shown.at(0).at(0).toInt(), n);
    QCOMPARE(detect->detections().size(), n);
    QCOMPARE(detect->table()->rowCount(), n);
    QCOMPARE(detect->imageView()->boxes().size(), n);
    for (int i = 0; i < n; ++i) {
      const QRectF box = detect->imageView()->boxes()[i].rect;
      QVERIFY(qAbs(box.left() - expected[i].x1) < 1e-3);
      QVERIFY(qAbs(box.top() - expected[i].y1) < 1e-3);
      QVERIFY(qAbs(box.right() - expected[i].x2) < 1e-3);
      QVERIFY(qAbs(box.bottom() - expected[i].y2) < 1e-3);
      QCOMPARE(detect->table()->item(i, 0)->text(), QString::fromStdString(expected[i].className));
      QCOMPARE(detect->table()->item(i, 1)->text(), QString::number(expected[i].score, 'f', 3));
    }
  }

  void dropOnAChildThatTakesTextStillOpensDetect() {
    QTemporaryDir dir;
    const QString a = writeImage(dir, QStringLiteral("c.png"));
    MainWindow window;
    window.show();
    window.showView(MainWindow::kTrain);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(a)});
    // The event log is a text widget that takes drops itself.
    QVERIFY(dragAndDrop(window.trainView()->log()->viewport(), mime));
    QCOMPARE(window.views()->currentIndex(), static_cast<int>(MainWindow::kDetect));
    QCOMPARE(window.detectView()->imageCount(), 1);
  }

  void nonImageDropIsIgnored() {
    QTemporaryDir dir;
    QFile text(dir.filePath(QStringLiteral("notes.txt")));
    QVERIFY(text.open(QIODevice::WriteOnly));
    text.write("hello");
    text.close();
    MainWindow window;
    window.show();
    window.showView(MainWindow::kData);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(text.fileName())});
    QCOMPARE(MainWindow::imageFiles(&mime), QStringList());
    QVERIFY(!dragAndDrop(&window, mime));
    QCOMPARE(window.views()->currentIndex(), static_cast<int>(MainWindow::kData));
    QCOMPARE(window.detectView()->imageCount(), 0);
  }

  // A case of the Evaluate view's confusion matrix, double-clicked: its image in the Detect
  // view, detected with the evaluated model.
  void anEvaluatedCaseOpensInTheDetectView() {
    QTemporaryDir dir;
    const QString image = writeImage(dir, QStringLiteral("case.png"));
    const QString checkpoint = QString::fromStdString(
        yolo::test::writeCertainCheckpoint(dir.path().toStdString()).string());
    MainWindow window;
    Q_EMIT window.evaluationView()->openInDetectView(image, checkpoint);
    QCOMPARE(window.views()->currentIndex(), static_cast<int>(MainWindow::kDetect));
    QCOMPARE(window.detectView()->imageCount(), 1);
    QCOMPARE(window.detectView()->loadedModel(), checkpoint);
    QTRY_VERIFY_WITH_TIMEOUT(window.detectView()->modelReady(), 30000);
  }

  void settingsPersist() {
    {
      MainWindow window;
      window.show();
      window.resize(900, 700);
      window.showView(MainWindow::kTrain);
      QVERIFY(window.close());
    }
    MainWindow again;
    QCOMPARE(again.views()->currentIndex(), static_cast<int>(MainWindow::kTrain));
    QCOMPARE(QSettings().value(QStringLiteral("window/view")).toInt(), 1);
    QVERIFY(!QSettings().value(QStringLiteral("window/geometry")).toByteArray().isEmpty());
  }

  // A workbench ended without a clean close (logout, kill, --screenshot) still opens with
  // the data folder the Data view gave the Train view, and the model the Detect view had,
  // loaded and named in its list.
  void whatTheUserSetIsThereAfterAnUncleanEnd() {
    QSettings().clear();
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    QVERIFY(QDir().mkpath(data));
    const QString image = writeImage(dir, QStringLiteral("data/1.png"));
    {
      QFile train(QDir(data).filePath(QStringLiteral("train.txt")));
      QVERIFY(train.open(QIODevice::WriteOnly));
      train.write(QStringLiteral("%1 4,4,20,20,0\n").arg(image).toUtf8());
      QFile names(QDir(data).filePath(QStringLiteral("mnist.names")));
      QVERIFY(names.open(QIODevice::WriteOnly));
      names.write("zero\none\n");
    }
    QVERIFY(QDir().mkpath(dir.filePath(QStringLiteral("run"))));
    const QString checkpoint = QString::fromStdString(
        yolo::test::writeCertainCheckpoint(dir.filePath(QStringLiteral("run")).toStdString())
            .string());
    {
      MainWindow window;
      window.dataView()->openDataset(data);
      QTRY_COMPARE(window.trainView()->form()->dataFolder(), data);
      window.detectView()->loadModel(checkpoint);
      QTRY_VERIFY_WITH_TIMEOUT(window.detectView()->modelReady(), 30000);
      // No close(): destroyed as a killed process would leave it.
    }
    MainWindow again;
    QCOMPARE(again.trainView()->form()->dataFolder(), data);
    QCOMPARE(again.evaluationView()->data(), data);  // offered by the Data view, and kept
    again.show();
    QVERIFY2(!again.detectView()->modelReady(), "loaded when the Detect view shows");
    again.showView(MainWindow::kDetect);
    auto* info = again.detectView()->findChild<QLabel*>(QStringLiteral("modelInfo"));
    QVERIFY(info);
    QTRY_VERIFY2_WITH_TIMEOUT(
        again.detectView()->modelReady(),
        qPrintable(info->text() + QStringLiteral(" | saved: ") +
                   QSettings().value(QStringLiteral("detect/model")).toString()),
        30000);
    auto* models = again.detectView()->findChild<QComboBox*>(QStringLiteral("model"));
    QVERIFY(models);
    QCOMPARE(models->currentData(Qt::UserRole + 1).toString(), checkpoint);
    QVERIFY2(models->currentText().contains(QStringLiteral("certain.pt")),
             qPrintable(models->currentText()));
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
