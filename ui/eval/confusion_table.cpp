#include "ui/eval/confusion_table.h"

#include <QHeaderView>

namespace yolo::ui {

ConfusionTable::ConfusionTable(QWidget* parent) : QTableWidget(parent) {
  setObjectName(QStringLiteral("confusionMatrix"));
  setEditTriggers(QAbstractItemView::NoEditTriggers);
  setSelectionMode(QAbstractItemView::SingleSelection);
  horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  setToolTip(tr("Rows: ground truth; columns: prediction. Click a cell to list its cases."));
  connect(this, &QTableWidget::cellClicked, this, &ConfusionTable::cellChosen);
}

void ConfusionTable::setMatrix(const eval::ConfusionMatrix& matrix,
                               const std::vector<std::string>& classNames) {
  const int side = matrix.numClasses + 1;
  clear();
  setRowCount(side);
  setColumnCount(side);
  QStringList labels;
  for (int c = 0; c < matrix.numClasses; ++c)
    labels << (c < static_cast<int>(classNames.size())
                   ? QString::fromStdString(classNames[static_cast<size_t>(c)])
                   : QString::number(c));
  labels << tr("background");
  setHorizontalHeaderLabels(labels);
  setVerticalHeaderLabels(labels);
  for (int t = 0; t < side; ++t) {
    int rowTotal = 0;
    for (int p = 0; p < side; ++p) rowTotal += matrix.at(t, p);
    for (int p = 0; p < side; ++p) {
      const int n = matrix.at(t, p);
      auto* cell = new QTableWidgetItem(n > 0 ? QString::number(n) : QString());
      cell->setData(Qt::UserRole, n);
      cell->setTextAlignment(Qt::AlignCenter);
      if (n > 0) {
        // Shaded by the share of the row (of the column for background's row): how much of
        // this class goes where.
        int total = rowTotal;
        if (t == matrix.numClasses) {
          total = 0;
          for (int r = 0; r < side; ++r) total += matrix.at(r, p);
        }
        const double share = total > 0 ? static_cast<double>(n) / total : 0;
        const int fade = 255 - static_cast<int>(150 * share);
        cell->setBackground(t == p && t < matrix.numClasses ? QColor(fade, 255, fade)
                                                            : QColor(255, fade, fade));
        cell->setForeground(QColor(0, 0, 0));
      }
      cell->setToolTip(tr("%1 → %2: %3").arg(labels[t], labels[p]).arg(n));
      setItem(t, p, cell);
    }
  }
}

int ConfusionTable::countAt(int truth, int predicted) const {
  const QTableWidgetItem* cell = item(truth, predicted);
  return cell ? cell->data(Qt::UserRole).toInt() : -1;
}

}  // namespace yolo::ui
