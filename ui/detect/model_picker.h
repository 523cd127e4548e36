#pragma once
// The Detect view's model list: the current run's best.pt and last.pt, the checkpoints used
// lately (most recent first, kept across sessions), and "Other checkpoint file…". Choosing
// an entry asks for that model; the list shows the one actually loaded.

#include <QComboBox>
#include <QString>
#include <QStringList>

namespace yolo::ui {

class ModelPicker : public QComboBox {
  Q_OBJECT

 public:
  /// Checkpoints remembered at most.
  static constexpr int kMaxRecent = 8;

  explicit ModelPicker(QWidget* parent = nullptr);

  /// Offers `runDir`'s best.pt and last.pt first (empty: none).
  void setRunDir(const QString& runDir);
  QString runDir() const { return runDir_; }
  /// Puts a checkpoint file first among the recent ones; run folders are not listed.
  void remember(const QString& path);
  QStringList recentModels() const { return recent_; }
  void setRecentModels(const QStringList& paths);
  /// The entry selected: the checkpoint loaded (empty: "Choose a model…").
  void setLoaded(const QString& path);
  QString loaded() const { return loaded_; }

 public Q_SLOTS:
  /// Asks for a checkpoint file with a dialog; choosing one emits chosen().
  void chooseFile();

 Q_SIGNALS:
  /// The user chose a model (a checkpoint file or a run folder) to load.
  void chosen(const QString& path);

 private:
  void rebuild();

  QString runDir_;
  QStringList recent_;
  QString loaded_;
};

}  // namespace yolo::ui
