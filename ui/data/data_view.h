#pragma once
// The Data view: generate an MNIST detection set (GeneratorPanel), open an existing dataset
// (DatasetOpener), browse it as a thumbnail grid filtered by class / split / file name
// (DatasetBrowser), and look at one image with its boxes and the dataset's statistics
// (SampleInspector). This class lays them out and connects them.

#include <QString>
#include <QWidget>

#include <memory>

#include "ui/data/loaded_dataset.h"

class QPushButton;
class QSettings;

namespace yolo::ui {

class DatasetBrowser;
class DatasetExportJob;
class DatasetOpener;
class GeneratorPanel;
class SampleInspector;

class DataView : public QWidget {
  Q_OBJECT

 public:
  explicit DataView(QWidget* parent = nullptr);

  GeneratorPanel* generator() const { return generator_; }
  DatasetOpener* opener() const { return opener_; }
  DatasetBrowser* browser() const { return browser_; }
  SampleInspector* inspector() const { return inspector_; }

  /// Reads a dataset in the background; datasetLoaded or loadFailed follows.
  void openDataset(const QString& path);
  /// The dataset shown; null before one was opened.
  std::shared_ptr<const LoadedDataset> dataset() const { return dataset_; }
  /// Generating (or fetching the digits for it).
  bool isBusy() const;
  /// A dataset is being read in the background (openDataset() not yet done).
  bool isOpening() const;

  /// Writes the dataset shown as `format` ("tutorial", "yolo", "voc", "coco") into `outDir`
  /// (new or empty) in the background; exported or exportFailed follows. False when no
  /// dataset is shown or an export is running.
  bool exportDataset(const QString& format, const QString& outDir);

  /// The generator's settings and the dataset last shown, opened again on restore.
  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 public Q_SLOTS:
  /// Generates with the form's settings (fetching the digits first when missing).
  bool generate();
  void cancelWork();
  void chooseDataset();
  /// Asks for a format and a folder, then exportDataset().
  void exportDatasetInteractive();

 Q_SIGNALS:
  void statusMessage(const QString& text);
  void busyChanged(bool busy);
  /// A dataset is ready (generated, or opened in any format): the Train view can use it.
  void datasetFolderReady(const QString& folder);
  /// Statistics ▸ "Use anchors fitted to this data": the next run should use them.
  void anchorsChosen(const QString& architecture, const QString& anchors);
  void datasetLoaded(int samples);
  void loadFailed(const QString& message);
  void exported(const QString& outDir);
  void exportFailed(const QString& message);

 private:
  void showDataset(const std::shared_ptr<const LoadedDataset>& dataset);

  GeneratorPanel* generator_ = nullptr;
  DatasetOpener* opener_ = nullptr;
  DatasetBrowser* browser_ = nullptr;
  SampleInspector* inspector_ = nullptr;
  DatasetExportJob* exporter_ = nullptr;
  QPushButton* export_ = nullptr;
  std::shared_ptr<const LoadedDataset> dataset_;
  bool restoring_ = false;  ///< the dataset being opened is last session's (restoreSettings)
};

}  // namespace yolo::ui
