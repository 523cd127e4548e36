#pragma once
// "Plan of this run": the epochs and the peak and final learning rates of the run that is
// training, editable while it trains. The Train view draws the edited plan as a preview
// and sends it on Apply (core/train/run_adjustment.h); the run takes it before its next
// step and the fields then show the plan in effect.

#include <QGroupBox>

#include "core/run/schedule_change.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace yolo::ui {

class PlanEditor : public QGroupBox {
  Q_OBJECT

 public:
  explicit PlanEditor(QWidget* parent = nullptr);

  /// The plan in effect: the fields take its values and nothing is to apply.
  void setPlan(const run::RunConfig& config);
  /// The settings whose fields differ from the plan in effect; empty when none does or a
  /// rate field holds no number.
  run::ScheduleChange change() const;

 Q_SIGNALS:
  /// A field changed: change() is what Apply would send.
  void edited();
  void applyRequested();

 private:
  void updateButtons();

  run::RunConfig plan_;
  QSpinBox* epochs_ = nullptr;
  QLineEdit* lrInit_ = nullptr;
  QLineEdit* lrEnd_ = nullptr;
  QPushButton* apply_ = nullptr;
  QPushButton* revert_ = nullptr;
};

}  // namespace yolo::ui
