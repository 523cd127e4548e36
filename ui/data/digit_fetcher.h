#pragma once
// Fetches the MNIST digits on first use by running datasets/fetch_mnist.sh (found beside
// the executable, in the source tree or in the installed share folder) through QProcess.

#include <QObject>
#include <QProcess>
#include <QString>

namespace yolo::ui {

class DigitFetcher : public QObject {
  Q_OBJECT

 public:
  explicit DigitFetcher(QObject* parent = nullptr);
  ~DigitFetcher() override;

  /// The digits folder if it is already there (see data::findDefaultDigits), else empty.
  static QString findDigits();
  /// The fetch script, or empty when none can be found.
  static QString findScript();

  /// Starts the script; false (and failed emitted) when there is none.
  bool start();
  bool isRunning() const { return process_.state() != QProcess::NotRunning; }
  void cancel();

 Q_SIGNALS:
  void output(const QString& line);
  void finished(const QString& digitsFolder);
  /// A sentence for the user: no network, no npm, no script.
  void failed(const QString& message);

 private:
  QProcess process_;
  QString errors_;
};

}  // namespace yolo::ui
