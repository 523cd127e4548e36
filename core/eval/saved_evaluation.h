#pragma once
// Evaluations kept in a run folder: after each mAP evaluation the trainer writes the test
// images with their boxes and the detections it scored (RUN_DIR/evaluations/epoch-NNNN.json),
// so the workbench shows what the detector got wrong at any evaluated epoch (mAP, per
// class, PR curves, the kinds of error) without running the network again. The figures are
// recomputed from the detections on reading, by the same evaluate() that made them.
// Torch-free.
//
// {"format":1,"epoch":3,"step":600,"score_threshold":0.05,"iou_threshold":0.45,
//  "class_names":["0",..],"unreadable":["path: why",..],
//  "images":[{"path":"..","boxes":[[x1,y1,x2,y2,class,kind],..],
//             "detections":[[x1,y1,x2,y2,score,class],..]},..]}
// (kind: 0 object, 1 difficult, 2 crowd, as data::Box::Kind)

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/eval/evaluate_model.h"

namespace yolo::eval {

struct SavedEvaluation {
  int epoch = 0;            ///< 1-based epoch after which the evaluation ran
  int64_t step = 0;         ///< steps done then
  EvaluationReport report;  ///< thresholds, images, boxes, detections and the result
  std::vector<std::string> classNames;
};

/// RUN_DIR/evaluations/epoch-NNNN.json (four digits or more).
std::filesystem::path savedEvaluationPath(const std::filesystem::path& runDir, int epoch);

/// The epochs with a saved evaluation in `runDir`, ascending; empty when none.
std::vector<int> savedEvaluationEpochs(const std::filesystem::path& runDir);

/// Writes `evaluation` to `file` atomically (its folder is created). Throws
/// std::runtime_error naming the file when it cannot be written.
void saveEvaluation(const std::filesystem::path& file, const SavedEvaluation& evaluation);

/// Reads a saved evaluation and recomputes its result. Throws std::runtime_error naming the
/// file and what is wrong (not JSON, a missing or mistyped field, a class id out of range).
SavedEvaluation loadEvaluation(const std::filesystem::path& file);

}  // namespace yolo::eval
