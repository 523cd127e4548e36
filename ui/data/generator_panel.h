#pragma once
// The "Generate MNIST data" form: the page settings, then Generate, which fetches the MNIST
// digits on first use and writes the dataset off the GUI thread, with progress and Cancel.

#include <QGroupBox>
#include <QString>

#include "core/data/generator.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSettings;
class QSpinBox;

namespace yolo::ui {

class DigitFetcher;
class GenerateJob;

class GeneratorPanel : public QGroupBox {
  Q_OBJECT

 public:
  explicit GeneratorPanel(QWidget* parent = nullptr);
  ~GeneratorPanel() override;

  /// The generator settings the form shows.
  data::GeneratorConfig generatorConfig() const;
  void setGeneratorConfig(const data::GeneratorConfig& config);
  QString outputFolder() const;
  void setOutputFolder(const QString& folder);
  /// The line under the progress bar: what is happening, what went wrong.
  QString message() const;
  /// Fetching digits or generating.
  bool isBusy() const;

  /// The output folder and the counts and seed typed; the output folder defaults to
  /// datasets/generated in the working folder.
  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 public Q_SLOTS:
  /// Generates with the form's settings (fetching the digits first when missing). False,
  /// with the reason in message(), when the settings are refused or work is running.
  bool generate();
  void cancel();

 Q_SIGNALS:
  void statusMessage(const QString& text);
  void busyChanged(bool busy);
  void generationFinished(const QString& folder);
  void generationFailed(const QString& message);
  void generationCancelled();

 private:
  void buildForm();
  void startGeneration(const QString& digits);
  void setGenerating(bool on);

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
  QLabel* message_ = nullptr;
  data::GeneratorConfig base_;  ///< settings the form has no field for
  GenerateJob* job_ = nullptr;
  DigitFetcher* fetcher_ = nullptr;
};

}  // namespace yolo::ui
