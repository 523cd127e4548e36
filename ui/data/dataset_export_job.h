#pragma once
// "Export dataset as…": the dataset shown in the Data view written as tutorial, YOLO, VOC or
// COCO files (core/data/dataset_writer.h), off the GUI thread: images are linked or copied
// and every image's size is read, which takes a while on thousands.

#include <QFutureWatcher>
#include <QObject>
#include <QString>

namespace yolo::ui {

class DatasetExportJob : public QObject {
  Q_OBJECT

 public:
  explicit DatasetExportJob(QObject* parent = nullptr);
  /// Waits for a running export: it writes files that must not be left half done.
  ~DatasetExportJob() override;

  /// Reads `source` (any dataset format) and writes it as `format` into `outDir`, which
  /// must not exist or be empty. False when an export is already running.
  bool start(const QString& source, const QString& format, const QString& outDir);
  bool isRunning() const { return watcher_.isRunning(); }

 Q_SIGNALS:
  /// Exactly one of these ends each export.
  void finished(const QString& outDir, const QString& summary);
  void failed(const QString& message);

 private:
  struct Outcome {
    QString error;  ///< empty on success
    QString summary;
  };
  QFutureWatcher<Outcome> watcher_;
  QString outDir_;
};

}  // namespace yolo::ui
