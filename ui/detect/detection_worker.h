#pragma once
// Runs the Detector on its own thread: loading a checkpoint and running the network can
// take seconds on a CPU and must never freeze the window. Requests arrive as queued
// signals; results leave as queued signals. No exception leaves a slot.

#include <QImage>
#include <QMetaType>
#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

#include <memory>

#include "ui/common/labeled_box.h"
#include "ui/detect/explanation_text.h"

#include "core/infer/detector.h"

namespace yolo::ui {

/// Post-processing settings as the GUI holds them (a subset of infer::DetectOptions).
struct DetectSettings {
  float scoreThreshold = 0.3f;
  float iouThreshold = 0.45f;
  /// Drop a box mostly inside a better box (infer::kOneLabelPerObjectCover): a drawn 7 is one
  /// 7, not a 7 and the 1 its stroke also looks like, nor two nested 7s.
  bool oneLabelPerObject = true;
};

/// The Detector's options for `settings`.
infer::DetectOptions toDetectOptions(const DetectSettings& settings);

struct DetectionRecord {
  QRectF box;  ///< original-image pixels, x2/y2 exclusive
  float score = 0;
  int classId = 0;
  QString className;
};
using DetectionRecords = QVector<DetectionRecord>;

/// Boxes to draw for detections: label "name score".
LabeledBoxes toLabeledBoxes(const DetectionRecords& detections);

class DetectionWorker : public QObject {
  Q_OBJECT

 public:
  explicit DetectionWorker(QObject* parent = nullptr);
  ~DetectionWorker() override;

 public Q_SLOTS:
  void loadModel(const QString& path, const QString& device);
  /// Runs the network on `image`; `requestId` comes back with the result.
  void detect(int requestId, const QImage& image, const yolo::ui::DetectSettings& settings);
  /// Re-filters the last image's cached network output: no network run.
  void refilter(int requestId, const yolo::ui::DetectSettings& settings);
  /// Explains detection `index` of the last image's result with `settings` (no network
  /// run); explained() answers, nothing when there is no such detection.
  void explain(int requestId, const yolo::ui::DetectSettings& settings, int index);
  /// Why nothing is detected at `point` (image pixels) of the last image; probed() answers.
  void probe(int requestId, const QPointF& point, const yolo::ui::DetectSettings& settings);

 Q_SIGNALS:
  void modelLoaded(const QString& checkpoint, const QStringList& classNames, int inputSize);
  void modelFailed(const QString& message);
  void detected(int requestId, const yolo::ui::DetectionRecords& detections, double milliseconds);
  void detectFailed(int requestId, const QString& message);
  void explained(int requestId, int index, const yolo::ui::ExplanationRecord& explanation);
  void probed(int requestId, const QPointF& point, const QString& text);

 private:
  std::unique_ptr<infer::Detector> detector_;
  bool hasImage_ = false;
};

}  // namespace yolo::ui

Q_DECLARE_METATYPE(yolo::ui::DetectSettings)
Q_DECLARE_METATYPE(yolo::ui::DetectionRecords)
