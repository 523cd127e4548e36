#pragma once
// A confusion matrix as a table: rows the ground truth's classes then background, columns the
// predicted ones then background (eval::ConfusionMatrix); each cell shaded by its share of
// its row, the diagonal green, errors red. Clicking a cell asks for its cases.

#include <QTableWidget>

#include <string>
#include <vector>

#include "core/eval/error_analysis.h"

namespace yolo::ui {

class ConfusionTable : public QTableWidget {
  Q_OBJECT

 public:
  explicit ConfusionTable(QWidget* parent = nullptr);

  void setMatrix(const eval::ConfusionMatrix& matrix, const std::vector<std::string>& classNames);
  /// The count shown at (truth, predicted), as ConfusionMatrix::at; -1 outside the table.
  int countAt(int truth, int predicted) const;

 Q_SIGNALS:
  /// A cell was clicked: `truth`, `predicted` in [0, classes]; classes is background.
  void cellChosen(int truth, int predicted);
};

}  // namespace yolo::ui
