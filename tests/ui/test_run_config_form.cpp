// RunConfigForm's data field: a make-data folder fills the annotation fields as before; any
// other dataset (here Ultralytics YOLO) is taken as it is, its format named; a folder that is
// no dataset is refused with what was looked for.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QTemporaryDir>
#include <QtTest>

#include "tests/ui/support/squares_dataset.h"
#include "ui/train/run_config_form.h"

using yolo::ui::RunConfigForm;

namespace {
QString message(const RunConfigForm& form) {
  const auto* label = form.findChild<QLabel*>(QStringLiteral("dataMessage"));
  return label && !label->isHidden() ? label->text() : QString();
}
}  // namespace

class TestRunConfigForm : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void aMakeDataFolderFillsTheAnnotationFiles() {
    QTemporaryDir dir;
    const auto written = yolo::test::writeSquaresDataset(dir.filePath(QStringLiteral("d")), 3, 1);
    RunConfigForm form;
    form.show();
    QVERIFY(form.setDataFolder(written.folder));
    const auto c = form.config();
    QVERIFY(c.dataset.empty());
    QVERIFY(QString::fromStdString(c.trainAnnotations).endsWith(QStringLiteral("d/train.txt")));
    QVERIFY(QString::fromStdString(c.classesFile).endsWith(QStringLiteral("d/obj.names")));
    QVERIFY(message(form).isEmpty());
  }

  void anyOtherDatasetIsTakenWithItsFormatNamed() {
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("ultra"));
    QDir().mkpath(folder + QStringLiteral("/images/train"));
    QFile yaml(folder + QStringLiteral("/data.yaml"));
    QVERIFY(yaml.open(QIODevice::WriteOnly));
    yaml.write("train: images/train\nnames: [square, bar]\n");
    yaml.close();

    RunConfigForm form;
    form.show();
    QVERIFY(form.setDataFolder(folder));
    auto c = form.config();
    QCOMPARE(QString::fromStdString(c.dataset), QDir(folder).absolutePath());
    QVERIFY(c.trainAnnotations.empty() && c.classesFile.empty());
    QVERIFY2(message(form).contains(QStringLiteral("ultralytics")), qPrintable(message(form)));

    // The dataset's own file is as good as its folder (the browse button's arrow picks one).
    QVERIFY(form.setDataFolder(yaml.fileName()));
    QCOMPARE(QString::fromStdString(form.config().dataset), QFileInfo(yaml).absoluteFilePath());
    QVERIFY(form.setDataFolder(folder));

    // The choice survives the form being set from a config (a preset, a restart).
    RunConfigForm again;
    again.setConfig(c);
    QCOMPARE(again.dataFolder(), QDir(folder).absolutePath());
    QCOMPARE(QString::fromStdString(again.config().dataset), QDir(folder).absolutePath());
    form.applyPreset(QStringLiteral("tutorial"));
    QCOMPARE(QString::fromStdString(form.config().dataset), QDir(folder).absolutePath());
  }

  void aDarknetExportIsNotTakenForMakeData() {
    // train.txt listing image paths and obj.names: what Darknet and CVAT write.
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("cvat"));
    QDir().mkpath(folder);
    for (const auto& [name, text] :
         {std::pair{"train.txt", "obj_train_data/a.jpg\n"},
          {"obj.names", "square\n"},
          {"obj.data", "classes = 1\ntrain = train.txt\nnames = obj.names\n"}}) {
      QFile file(folder + QLatin1Char('/') + QLatin1String(name));
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write(text);
    }
    RunConfigForm form;
    QVERIFY(form.setDataFolder(folder));
    QCOMPARE(QString::fromStdString(form.config().dataset), QDir(folder).absolutePath());
    QVERIFY(form.config().trainAnnotations.empty());
    QVERIFY2(message(form).contains(QStringLiteral("darknet")), qPrintable(message(form)));

    QVERIFY(!form.setDataFolder(dir.filePath(QStringLiteral("nowhere"))));
    QVERIFY2(form.config().dataset.empty(), "a refused path leaves no earlier dataset to train");
  }

  void aFolderThatIsNoDatasetIsRefused() {
    QTemporaryDir dir;
    RunConfigForm form;
    form.show();
    QVERIFY(!form.setDataFolder(dir.path()));
    QVERIFY2(message(form).contains(QStringLiteral("data.yaml")), qPrintable(message(form)));
  }
};

QTEST_MAIN(TestRunConfigForm)
#include "test_run_config_form.moc"
