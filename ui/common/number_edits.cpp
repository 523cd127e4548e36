#include "ui/common/number_edits.h"

#include <QDoubleValidator>
#include <QLineEdit>
#include <QLocale>

#include <limits>

namespace yolo::ui {

QLineEdit* scientificEdit(const QString& objectName) {
  auto* edit = new QLineEdit;
  edit->setObjectName(objectName);
  auto* validator = new QDoubleValidator(0.0, 10.0, 12, edit);
  validator->setNotation(QDoubleValidator::ScientificNotation);
  validator->setLocale(QLocale::c());
  edit->setValidator(validator);
  return edit;
}

QString scientificText(double value) { return QString::number(value, 'g', 6); }

double scientificValue(const QLineEdit* edit) {
  bool ok = false;
  const double value = QLocale::c().toDouble(edit->text().trimmed(), &ok);
  return ok ? value : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace yolo::ui
