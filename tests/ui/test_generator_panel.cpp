// GeneratorPanel: the form round-trips the generator settings, refuses bad ones with a
// reason, and (with the MNIST digits) generates off the GUI thread and can be cancelled.

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "ui/data/digit_fetcher.h"
#include "ui/data/generator_panel.h"

using yolo::ui::GeneratorPanel;

namespace {
// Missing digits are a set-up error (./quickstart test fetches them): the slots that need
// them fail saying so, never skip; the others need none.
bool haveDigits() { return !yolo::ui::DigitFetcher::findDigits().isEmpty(); }
const char* kNoDigits = "the MNIST digits are missing: run datasets/fetch_mnist.sh";
}  // namespace

class TestGeneratorPanel : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

  void theFormRoundTripsTheSettings() {
    GeneratorPanel panel;
    auto config = panel.generatorConfig();
    config.trainImages = 123;
    config.testImages = 45;
    config.seed = 99;
    config.canvasWidth = 640;
    config.canvasHeight = 480;
    config.background = 200;
    config.big.maxCount = 3;
    config.jpegQuality = 80;
    panel.setGeneratorConfig(config);
    const auto back = panel.generatorConfig();
    QCOMPARE(back.trainImages, 123);
    QCOMPARE(back.testImages, 45);
    QCOMPARE(back.seed, uint64_t{99});
    QCOMPARE(back.canvasWidth, 640);
    QCOMPARE(back.canvasHeight, 480);
    QCOMPARE(back.background, 200);
    QCOMPARE(back.big.maxCount, 3);
    QCOMPARE(back.jpegQuality, 80);
  }

  void aLookReplacesThePageButKeepsCountsAndSeed() {
    GeneratorPanel panel;
    auto config = panel.generatorConfig();
    config.trainImages = 7;
    config.seed = 5;
    panel.setGeneratorConfig(config);
    auto* look = panel.findChild<QComboBox*>(QStringLiteral("variant"));
    QVERIFY(look);
    look->setCurrentText(QStringLiteral("harder"));
    const auto harder = panel.generatorConfig();
    QCOMPARE(harder.trainImages, 7);
    QCOMPARE(harder.seed, uint64_t{5});
    QVERIFY(harder.noiseSigmaMax > 0);  // the harder look: noisy paper
  }

  void badSettingsAreRefusedWithAReason() {
    GeneratorPanel panel;
    panel.setOutputFolder(QString());
    QVERIFY(!panel.generate());
    QVERIFY(!panel.isBusy());
    QVERIFY(panel.message().contains(QStringLiteral("output folder")));

    auto config = panel.generatorConfig();
    config.canvasWidth = 32;  // too small for the big digits
    config.canvasHeight = 32;
    panel.setGeneratorConfig(config);
    panel.setOutputFolder(QStringLiteral("/tmp/never-written"));
    QVERIFY(!panel.generate());
    QVERIFY2(panel.message().startsWith(QStringLiteral("Cannot generate")),
             qPrintable(panel.message()));
    QVERIFY(!QFile::exists(QStringLiteral("/tmp/never-written")));
  }

  void settingsSurviveARestart() {
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    {
      GeneratorPanel panel;
      auto config = panel.generatorConfig();
      config.trainImages = 11;
      config.seed = 3;
      panel.setGeneratorConfig(config);
      panel.setOutputFolder(dir.filePath(QStringLiteral("out")));
      panel.saveSettings(settings);
    }
    GeneratorPanel again;
    again.restoreSettings(settings);
    QCOMPARE(again.generatorConfig().trainImages, 11);
    QCOMPARE(again.generatorConfig().seed, uint64_t{3});
    QCOMPARE(again.outputFolder(), dir.filePath(QStringLiteral("out")));
  }

  void generatesOffTheGuiThread() {
    if (!haveDigits()) QFAIL(kNoDigits);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("data"));
    GeneratorPanel panel;
    auto config = panel.generatorConfig();
    config.trainImages = 6;
    config.testImages = 2;
    panel.setGeneratorConfig(config);
    panel.setOutputFolder(out);
    QSignalSpy finished(&panel, &GeneratorPanel::generationFinished);
    QSignalSpy failed(&panel, &GeneratorPanel::generationFailed);
    QVERIFY(panel.generate());
    QVERIFY(panel.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 120000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
    QCOMPARE(finished.at(0).at(0).toString(), out);
    QCOMPARE(QDir(out + QStringLiteral("/train")).entryList({QStringLiteral("*.jpg")}).size(), 6);
    QCOMPARE(QDir(out + QStringLiteral("/test")).entryList({QStringLiteral("*.jpg")}).size(), 2);
    QVERIFY(!panel.isBusy());
  }

  void cancelStopsGeneration() {
    if (!haveDigits()) QFAIL(kNoDigits);
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("big"));
    GeneratorPanel panel;
    auto config = panel.generatorConfig();
    config.trainImages = 100000;
    config.testImages = 0;
    panel.setGeneratorConfig(config);
    panel.setOutputFolder(out);
    QSignalSpy cancelled(&panel, &GeneratorPanel::generationCancelled);
    QSignalSpy finished(&panel, &GeneratorPanel::generationFinished);
    QVERIFY(panel.generate());
    QTest::qWait(200);
    panel.cancel();
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 60000);
    QCOMPARE(finished.count(), 0);
    QVERIFY(!QFile::exists(out + QStringLiteral("/train.txt")));  // never half an annotation file
    QVERIFY(!panel.isBusy());
  }
};

QTEST_MAIN(TestGeneratorPanel)
#include "test_generator_panel.moc"
