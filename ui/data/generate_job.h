#pragma once
// Generates a dataset off the GUI thread (QtConcurrent), with progress and Cancel. The
// digits are read on the worker thread too: 10,000 MNIST digits take a moment to parse.

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>

#include "core/data/generator.h"

namespace yolo::ui {

class GenerateJob : public QObject {
  Q_OBJECT

 public:
  explicit GenerateJob(QObject* parent = nullptr);
  /// Cancels and waits: the generator polls the flag between images.
  ~GenerateJob() override;

  /// False when a job is already running.
  bool start(const data::GeneratorConfig& config, const QString& digitsFolder,
             const QString& outDir);
  void cancel();
  bool isRunning() const { return running_; }

 Q_SIGNALS:
  void progress(int done, int total);
  /// Exactly one of these ends each job.
  void finished(const QString& outDir, const QString& summary);
  void failed(const QString& message);
  void cancelled();

 private:
  std::atomic<bool> cancel_{false};
  QFuture<void> future_;
  bool running_ = false;
};

}  // namespace yolo::ui
