#pragma once
// "Open a dataset": buttons for each kind of dataset the workbench reads, and the reading
// itself, in the background: the GUI stays live while thousands of lines are read, and a
// second choice made meanwhile replaces the first without waiting for it.

#include <QFutureWatcher>
#include <QGroupBox>
#include <QString>
#include <QStringList>

#include <memory>

#include "ui/data/loaded_dataset.h"

class QLabel;

namespace yolo::ui {

class DatasetOpener : public QGroupBox {
  Q_OBJECT

 public:
  explicit DatasetOpener(QWidget* parent = nullptr);
  ~DatasetOpener() override;

  /// Reads `path` in the background; opened or failed follows, for the latest path only.
  void openDataset(const QString& path);
  /// A read is running (openDataset() not yet answered).
  bool isOpening() const;
  /// What the panel says about the dataset: its source and size, or why it could not open.
  QString infoText() const;

 public Q_SLOTS:
  /// Asks which kind to open (a menu at the mouse), then for the folder or file.
  void chooseDataset();

 Q_SIGNALS:
  void opened(const std::shared_ptr<const yolo::ui::LoadedDataset>& dataset);
  /// Nothing could be read: `message` names the path and why; `issues` lists what was found.
  void failed(const QString& message, const QStringList& issues);

 private:
  void onRead();

  QLabel* info_ = nullptr;
  QFutureWatcher<LoadedDataset> reader_;
};

}  // namespace yolo::ui
