#include "ui/train/plan_editor.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>

#include <cmath>

#include "ui/common/number_edits.h"

namespace yolo::ui {

PlanEditor::PlanEditor(QWidget* parent) : QGroupBox(tr("Plan of this run"), parent) {
  setObjectName(QStringLiteral("planEditor"));
  setToolTip(
      tr("Change the epochs or learning rates while the run trains: the new plan is "
         "drawn dashed on the learning-rate plot, and Apply makes the run follow it "
         "from its next step (also after a resume)"));
  epochs_ = new QSpinBox;
  epochs_->setObjectName(QStringLiteral("planEpochs"));
  epochs_->setRange(1, 100000);
  lrInit_ = scientificEdit(QStringLiteral("planLrInit"));
  lrEnd_ = scientificEdit(QStringLiteral("planLrEnd"));
  apply_ = new QPushButton(tr("Apply"));
  apply_->setObjectName(QStringLiteral("planApply"));
  revert_ = new QPushButton(tr("Revert"));
  revert_->setObjectName(QStringLiteral("planRevert"));

  auto* form = new QFormLayout;
  form->addRow(tr("Epochs:"), epochs_);
  form->addRow(tr("LR start:"), lrInit_);
  form->addRow(tr("LR end:"), lrEnd_);
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(revert_);
  buttons->addWidget(apply_);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addLayout(buttons);

  const auto onEdit = [this] {
    updateButtons();
    Q_EMIT edited();
  };
  connect(epochs_, &QSpinBox::valueChanged, this, onEdit);
  connect(lrInit_, &QLineEdit::textEdited, this, onEdit);
  connect(lrEnd_, &QLineEdit::textEdited, this, onEdit);
  connect(apply_, &QPushButton::clicked, this, &PlanEditor::applyRequested);
  connect(revert_, &QPushButton::clicked, this, [this] {
    setPlan(plan_);
    Q_EMIT edited();
  });
  updateButtons();
}

void PlanEditor::setPlan(const run::RunConfig& config) {
  plan_ = config;
  {
    const QSignalBlocker block(epochs_);
    epochs_->setValue(config.epochs);
  }
  lrInit_->setText(scientificText(config.lrInit));
  lrEnd_->setText(scientificText(config.lrEnd));
  updateButtons();
}

run::ScheduleChange PlanEditor::change() const {
  run::ScheduleChange c;
  const double lrInit = scientificValue(lrInit_), lrEnd = scientificValue(lrEnd_);
  if (std::isnan(lrInit) || std::isnan(lrEnd)) return c;
  if (epochs_->value() != plan_.epochs) c.epochs = epochs_->value();
  // Compared as shown: a rate left as it was is not a change.
  if (scientificText(lrInit) != scientificText(plan_.lrInit)) c.lrInit = lrInit;
  if (scientificText(lrEnd) != scientificText(plan_.lrEnd)) c.lrEnd = lrEnd;
  return c;
}

void PlanEditor::updateButtons() {
  const bool changed = !change().empty();
  apply_->setEnabled(changed);
  revert_->setEnabled(changed);
}

}  // namespace yolo::ui
