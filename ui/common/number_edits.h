#pragma once
// Text fields for numbers that span decades (learning rates, weight decay): scientific
// notation accepted and shown, always in the C locale so "1e-3" means the same everywhere.

#include <QString>

class QLineEdit;

namespace yolo::ui {

/// A line edit taking numbers in [0, 10] in scientific or plain notation.
QLineEdit* scientificEdit(const QString& objectName);

/// `value` as such a field shows it: 6 significant digits, "0.001" or "1e-05".
QString scientificText(double value);

/// The field's number (C locale); NaN when its text is not one.
double scientificValue(const QLineEdit* edit);

}  // namespace yolo::ui
