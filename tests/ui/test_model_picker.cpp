// ModelPicker: the current run's checkpoints first, then the recent ones (most recent first,
// at most kMaxRecent), and the entry loaded selected.

#include <QSignalSpy>
#include <QtTest>

#include "ui/detect/model_picker.h"

using yolo::ui::ModelPicker;

namespace {
QStringList texts(const QComboBox& box) {
  QStringList out;
  for (int i = 0; i < box.count(); ++i) out << box.itemText(i);
  return out;
}
}  // namespace

class TestModelPicker : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void listsTheRunThenRecentCheckpoints() {
    ModelPicker picker;
    QCOMPARE(texts(picker), (QStringList{QStringLiteral("Choose a model…"),
                                         QStringLiteral("Other checkpoint file…")}));
    picker.setRunDir(QStringLiteral("/runs/fast"));
    picker.remember(QStringLiteral("/runs/old/best.pt"));
    picker.remember(QStringLiteral("/runs/older/last.pt"));
    picker.remember(QStringLiteral("/runs/old/best.pt"));  // again: moves to the front, once
    QCOMPARE(
        texts(picker),
        (QStringList{QStringLiteral("Choose a model…"), QStringLiteral("Current run fast: best.pt"),
                     QStringLiteral("Current run fast: last.pt"), QStringLiteral("old/best.pt"),
                     QStringLiteral("older/last.pt"), QStringLiteral("Other checkpoint file…")}));
    QCOMPARE(picker.currentIndex(), 0);  // nothing loaded
  }

  void remembersAtMostTheLimitAndNoFolders() {
    ModelPicker picker;
    for (int i = 0; i < ModelPicker::kMaxRecent + 3; ++i)
      picker.remember(QStringLiteral("/runs/r%1/best.pt").arg(i));
    QCOMPARE(picker.recentModels().size(), ModelPicker::kMaxRecent);
    QCOMPARE(picker.recentModels().first(),
             QStringLiteral("/runs/r%1/best.pt").arg(ModelPicker::kMaxRecent + 2));
    picker.remember(QDir::tempPath());  // a run folder is offered through setRunDir only
    QVERIFY(!picker.recentModels().contains(QDir::tempPath()));

    ModelPicker restored;
    restored.setRecentModels(picker.recentModels());
    QCOMPARE(restored.recentModels(), picker.recentModels());
  }

  void choosingAnEntryAsksForItAndTheLoadedOneIsSelected() {
    ModelPicker picker;
    picker.setRunDir(QStringLiteral("/runs/fast"));
    QSignalSpy chosen(&picker, &ModelPicker::chosen);
    Q_EMIT picker.activated(2);  // "Current run fast: last.pt"
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.at(0).at(0).toString(), QStringLiteral("/runs/fast/last.pt"));
    Q_EMIT picker.activated(0);  // "Choose a model…" asks for nothing
    QCOMPARE(chosen.count(), 1);

    picker.setLoaded(QStringLiteral("/runs/fast/last.pt"));
    QCOMPARE(picker.currentText(), QStringLiteral("Current run fast: last.pt"));
    picker.setLoaded(QString());  // a load failed
    QCOMPARE(picker.currentIndex(), 0);
  }
};

QTEST_MAIN(TestModelPicker)
#include "test_model_picker.moc"
