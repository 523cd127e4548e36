#pragma once
// A form over yolo::run::RunConfig: presets, the data folder, the settings one changes
// often, and the rest under "Advanced" (anchors among them, as Darknet's anchors= text).
// Fields the form does not show are kept from the last config set.

#include <QString>
#include <QWidget>

#include "core/run/run_config.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace yolo::ui {

class RunConfigForm : public QWidget {
  Q_OBJECT

 public:
  explicit RunConfigForm(QWidget* parent = nullptr);

  run::RunConfig config() const;
  void setConfig(const run::RunConfig& config);

  /// Fills the annotation and class-name paths from a make-data folder; false with a
  /// message shown under the field when the folder lacks them.
  bool setDataFolder(const QString& folder);
  QString dataFolder() const;

  QString runsRoot() const;
  void setRunsRoot(const QString& folder);
  /// Name of the next run's folder under runsRoot (editable; a timestamp by default).
  QString runName() const;
  void refreshRunName();

  void applyPreset(const QString& name);

  /// The next run uses `architecture` with `anchors` (formatAnchors' text), e.g. anchors the
  /// Statistics view fitted to a dataset.
  void useAnchors(const QString& architecture, const QString& anchors);
  /// The anchors field: empty for the model's defaults.
  QString anchorsText() const;

 Q_SIGNALS:
  void changed();

 private:
  QWidget* buildBasic();
  QWidget* buildAdvanced();
  QLineEdit* pathEdit(const QString& objectName);
  QWidget* withBrowse(QLineEdit* edit, bool folder, const QString& filter = {});
  int scaleCount() const;
  /// Why the anchors field cannot be used (empty when it can, or is empty).
  QString anchorsProblem() const;

  run::RunConfig base_;
  QComboBox* preset_ = nullptr;
  QLineEdit* dataFolder_ = nullptr;
  QLabel* dataMessage_ = nullptr;
  QLineEdit* runsRoot_ = nullptr;
  QLineEdit* runName_ = nullptr;
  QComboBox* architecture_ = nullptr;
  QSpinBox* inputSize_ = nullptr;
  QSpinBox* epochs_ = nullptr;
  QSpinBox* batch_ = nullptr;
  QSpinBox* maxSteps_ = nullptr;
  QLineEdit* lrInit_ = nullptr;
  QLineEdit* lrEnd_ = nullptr;
  QDoubleSpinBox* warmup_ = nullptr;
  QSpinBox* evalEvery_ = nullptr;
  QComboBox* device_ = nullptr;
  QComboBox* precision_ = nullptr;

  QLineEdit* trainAnn_ = nullptr;
  QLineEdit* testAnn_ = nullptr;
  QLineEdit* classes_ = nullptr;
  QComboBox* init_ = nullptr;
  QLineEdit* pretrained_ = nullptr;  ///< RunConfig::pretrainedWeights
  QSpinBox* freezeEpochs_ = nullptr;
  QLineEdit* weightDecay_ = nullptr;
  QLineEdit* anchors_ = nullptr;
  QLabel* anchorsMessage_ = nullptr;
  QDoubleSpinBox* anchorIou_ = nullptr;
  QDoubleSpinBox* ignoreIou_ = nullptr;
  QCheckBox* ignoreAll_ = nullptr;
  QSpinBox* maxBoxes_ = nullptr;
  QCheckBox* crop_ = nullptr;
  QCheckBox* translate_ = nullptr;
  QCheckBox* flip_ = nullptr;
  QCheckBox* zoom_ = nullptr;
  QCheckBox* stroke_ = nullptr;
  QCheckBox* photometric_ = nullptr;
  QSpinBox* ckptEpochs_ = nullptr;
  QSpinBox* ckptSteps_ = nullptr;
  QComboBox* bestBy_ = nullptr;
  QSpinBox* threads_ = nullptr;
  QSpinBox* workers_ = nullptr;
  QLineEdit* seed_ = nullptr;
  QSpinBox* maxBad_ = nullptr;
};

}  // namespace yolo::ui
