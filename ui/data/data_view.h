#pragma once
// The Data view: generate an MNIST detection set (off the GUI thread, with progress and
// Cancel; the digits are fetched on first use), open an existing dataset, browse it as a
// thumbnail grid filtered by class / split / file name, look at one image with its boxes,
// and see its statistics.

#include <QFutureWatcher>
#include <QString>
#include <QWidget>

#include <memory>

#include "core/data/generator.h"
#include "ui/data/loaded_dataset.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;

namespace yolo::ui {

class BoxImageView;
class DatasetFilter;
class DatasetModel;
class DatasetStatsView;
class DigitFetcher;
class GenerateJob;

class DataView : public QWidget {
  Q_OBJECT

 public:
  explicit DataView(QWidget* parent = nullptr);
  ~DataView() override;

  /// The generator settings the form shows.
  data::GeneratorConfig generatorConfig() const;
  void setGeneratorConfig(const data::GeneratorConfig& config);
  QString outputFolder() const;
  void setOutputFolder(const QString& folder);

  /// Reads a dataset in the background; datasetLoaded or loadFailed follows.
  void openDataset(const QString& path);
  std::shared_ptr<const LoadedDataset> dataset() const { return dataset_; }

  DatasetModel* model() const { return model_; }
  DatasetFilter* filter() const { return filter_; }
  QListView* browser() const { return browser_; }
  BoxImageView* viewer() const { return viewer_; }
  /// "0: 12 · 1: 9 · …": boxes per class in the whole dataset.
  QString countsText() const;
  /// The annotation line of the image shown.
  QString shownLine() const;
  bool isBusy() const;
  /// A dataset is being read in the background (openDataset() not yet done).
  bool isOpening() const;

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 public Q_SLOTS:
  /// Generates with the form's settings (fetching the digits first when missing).
  bool generate();
  void cancelWork();
  void chooseDataset();
  void setClassFilter(int classId);
  void setNameFilter(const QString& text);
  void showSample(int sourceRow);

 Q_SIGNALS:
  void statusMessage(const QString& text);
  void busyChanged(bool busy);
  /// A make-data folder is ready (generated or opened): the Train view can use it.
  void datasetFolderReady(const QString& folder);
  void generationFinished(const QString& folder);
  void generationFailed(const QString& message);
  void generationCancelled();
  void datasetLoaded(int samples);
  void loadFailed(const QString& message);

 private:
  QWidget* buildGeneratePanel();
  QWidget* buildOpenPanel();
  QWidget* buildBrowser();
  QWidget* buildInspector();
  void startGeneration(const QString& digits);
  void setGenerating(bool on);
  void onLoaded();
  void updateCounts();

  // Generation
  QComboBox* variant_ = nullptr;  ///< built-in look of the pages (generatorVariant)
  QSpinBox* trainCount_ = nullptr;
  QSpinBox* testCount_ = nullptr;
  QLineEdit* seed_ = nullptr;
  QLineEdit* output_ = nullptr;
  QSpinBox* canvasW_ = nullptr;
  QSpinBox* canvasH_ = nullptr;
  QSpinBox* background_ = nullptr;
  QCheckBox* invert_ = nullptr;
  QDoubleSpinBox* overlap_ = nullptr;
  QSpinBox* jpeg_ = nullptr;
  QSpinBox* smallMax_ = nullptr;
  QSpinBox* mediumMax_ = nullptr;
  QSpinBox* bigMax_ = nullptr;
  QPushButton* generate_ = nullptr;
  QPushButton* cancel_ = nullptr;
  QProgressBar* progress_ = nullptr;
  QLabel* generateMessage_ = nullptr;
  data::GeneratorConfig base_;
  GenerateJob* job_ = nullptr;
  DigitFetcher* fetcher_ = nullptr;

  // Dataset
  QLabel* datasetInfo_ = nullptr;
  QFutureWatcher<LoadedDataset> loader_;
  std::shared_ptr<const LoadedDataset> dataset_;
  DatasetModel* model_ = nullptr;
  DatasetFilter* filter_ = nullptr;
  QListView* browser_ = nullptr;
  QComboBox* classFilter_ = nullptr;
  QComboBox* splitFilter_ = nullptr;
  QLineEdit* search_ = nullptr;
  QLabel* counts_ = nullptr;
  QLabel* shownCount_ = nullptr;

  // Inspector
  BoxImageView* viewer_ = nullptr;
  QLineEdit* line_ = nullptr;
  QLabel* hovered_ = nullptr;
  DatasetStatsView* stats_ = nullptr;
  QPlainTextEdit* issues_ = nullptr;
  int shownRow_ = -1;
};

}  // namespace yolo::ui
