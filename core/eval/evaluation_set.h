#pragma once
// Which images an evaluation scores, chosen the same way by `yolo-cli eval` and the
// workbench's evaluation view. Torch-free header.

#include <filesystem>
#include <string>
#include <vector>

#include "core/data/annotation_file.h"
#include "core/infer/detector.h"

namespace yolo::eval {

struct EvaluationSet {
  std::vector<data::Sample> samples;
  std::vector<data::LoadIssue> issues;  ///< entries skipped while reading, each named
  /// For the user: what was read and which part is evaluated.
  std::string description;
  /// The dataset's class names differ from the model's (ids are compared as they are).
  bool classNamesDiffer = false;
};

/// An annotation file is evaluated whole (class ids the model does not have are issues). Any
/// other dataset (a make-data folder, Darknet or Ultralytics YOLO, VOC, COCO) on its
/// validation split; without one, on the share of it the model's run held out (its
/// validation_share and seed, so these are the very images training did not see). Throws
/// std::runtime_error naming `data` when it cannot be read or leaves nothing to evaluate.
EvaluationSet openEvaluationSet(const std::filesystem::path& data, const infer::Detector& detector);

}  // namespace yolo::eval
