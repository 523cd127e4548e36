#include "ui/detect/detection_worker.h"

#include <QElapsedTimer>

#include <exception>

#include "core/infer/detection_explanation.h"
#include "core/infer/detector.h"
#include "ui/common/mat_image.h"

namespace yolo::ui {

infer::DetectOptions toDetectOptions(const DetectSettings& s) {
  infer::DetectOptions o;
  o.scoreThreshold = s.scoreThreshold;
  o.iouThreshold = s.iouThreshold;
  o.insideCover = s.oneLabelPerObject ? infer::kOneLabelPerObjectCover : 1.f;
  return o;
}

namespace {

DetectionRecords toRecords(const std::vector<infer::Detection>& detections) {
  DetectionRecords out;
  out.reserve(static_cast<int>(detections.size()));
  for (const infer::Detection& d : detections) {
    out.push_back(DetectionRecord{QRectF(QPointF(d.x1, d.y1), QPointF(d.x2, d.y2)), d.score,
                                  d.classId, QString::fromStdString(d.className)});
  }
  return out;
}

}  // namespace

LabeledBoxes toLabeledBoxes(const DetectionRecords& detections) {
  LabeledBoxes out;
  out.reserve(detections.size());
  for (const DetectionRecord& d : detections) {
    const QString name = d.className.isEmpty() ? QString::number(d.classId) : d.className;
    out.push_back(LabeledBox{d.box, d.classId,
                             QStringLiteral("%1 %2").arg(name).arg(d.score, 0, 'f', 2),
                             QStringLiteral("%1: score %2, %3×%4 px")
                                 .arg(name)
                                 .arg(d.score, 0, 'f', 3)
                                 .arg(d.box.width(), 0, 'f', 0)
                                 .arg(d.box.height(), 0, 'f', 0)});
  }
  return out;
}

DetectionWorker::DetectionWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<yolo::ui::DetectSettings>();
  qRegisterMetaType<yolo::ui::DetectionRecords>();
  qRegisterMetaType<yolo::ui::ExplanationRecord>();
}

DetectionWorker::~DetectionWorker() = default;

void DetectionWorker::loadModel(const QString& path, const QString& device) {
  try {
    // One image at a time, each wanted at once: the lean set-up (bench/README.md).
    detector_ = infer::Detector::load(path.toStdString(), device.toStdString(), /*threads=*/0,
                                      infer::DetectorUse::kFewImages);
    hasImage_ = false;
    QStringList names;
    for (const std::string& n : detector_->classNames()) names << QString::fromStdString(n);
    Q_EMIT modelLoaded(QString::fromStdString(detector_->checkpointPath().string()), names,
                       detector_->inputSize());
  } catch (const std::exception& e) {
    detector_.reset();
    Q_EMIT modelFailed(QString::fromStdString(e.what()));
  } catch (...) {
    detector_.reset();
    Q_EMIT modelFailed(tr("unknown error while loading %1").arg(path));
  }
}

void DetectionWorker::detect(int requestId, const QImage& image, const DetectSettings& settings) {
  if (!detector_) {
    Q_EMIT detectFailed(requestId, tr("no model loaded"));
    return;
  }
  try {
    QElapsedTimer timer;
    timer.start();
    const auto detections = detector_->detect(toMat(image), toDetectOptions(settings));
    hasImage_ = true;
    Q_EMIT detected(requestId, toRecords(detections), timer.nsecsElapsed() / 1e6);
  } catch (const std::exception& e) {
    Q_EMIT detectFailed(requestId, QString::fromStdString(e.what()));
  } catch (...) {
    Q_EMIT detectFailed(requestId, tr("unknown error while detecting"));
  }
}

void DetectionWorker::refilter(int requestId, const DetectSettings& settings) {
  if (!detector_ || !hasImage_) return;
  try {
    QElapsedTimer timer;
    timer.start();
    const auto detections = detector_->refilter(toDetectOptions(settings));
    Q_EMIT detected(requestId, toRecords(detections), timer.nsecsElapsed() / 1e6);
  } catch (const std::exception& e) {
    Q_EMIT detectFailed(requestId, QString::fromStdString(e.what()));
  }
}

void DetectionWorker::explain(int requestId, const DetectSettings& settings, int index) {
  if (!detector_ || !hasImage_ || index < 0) return;
  try {
    const auto explanations = detector_->explain(toDetectOptions(settings));
    if (index < static_cast<int>(explanations.size()))
      Q_EMIT explained(requestId, index,
                       toExplanationRecord(explanations[static_cast<size_t>(index)]));
  } catch (const std::exception& e) {
    Q_EMIT explained(requestId, index,
                     ExplanationRecord{tr("Cannot explain: %1").arg(e.what()), {}});
  }
}

void DetectionWorker::probe(int requestId, const QPointF& point, const DetectSettings& settings) {
  if (!detector_ || !hasImage_) return;
  try {
    const auto strongest = detector_->strongestUndetectedAt(
        static_cast<float>(point.x()), static_cast<float>(point.y()), toDetectOptions(settings));
    Q_EMIT probed(requestId, point, describeUndetected(strongest, settings.scoreThreshold));
  } catch (const std::exception& e) {
    Q_EMIT probed(requestId, point, tr("Cannot look: %1").arg(e.what()));
  }
}

}  // namespace yolo::ui
