#pragma once
// What the Detect view says about one detection, and about a point where nothing is
// detected: the core's explanation (core/infer/detection_explanation.h) as text, and the
// candidates removed in a detection's favour as boxes to draw dashed.

#include <QMetaType>
#include <QString>

#include <optional>

#include "core/infer/detection_explanation.h"
#include "ui/common/labeled_box.h"

namespace yolo::ui {

struct ExplanationRecord {
  QString text;          ///< rich text: origin, objectness, classes, NMS
  LabeledBoxes removed;  ///< the candidates NMS or the one-label rule removed for it
};

/// `explanation` for the view; at most `maxListed` removed candidates are named (all drawn).
ExplanationRecord toExplanationRecord(const infer::DetectionExplanation& explanation,
                                      int maxListed = 5);

/// Why nothing is detected at a point: the strongest candidate there (or none at all),
/// measured against `scoreThreshold`.
QString describeUndetected(const std::optional<infer::Candidate>& strongest, float scoreThreshold);

}  // namespace yolo::ui

Q_DECLARE_METATYPE(yolo::ui::ExplanationRecord)
