#pragma once
// Evaluates a trained checkpoint on an annotation file: the CLI's `eval` and the GUI's
// evaluation page. Torch-free (the Detector is a pimpl).

#include <filesystem>
#include <functional>
#include <vector>

#include "core/data/annotation_file.h"
#include "core/eval/map.h"
#include "core/infer/detector.h"

namespace yolo::eval {

/// Called after each image with (images done, images in all); return false to stop early.
using EvalProgress = std::function<bool(int done, int total)>;

struct EvaluationReport {
  EvaluationResult result;   ///< over the images evaluated (all unless cancelled)
  float scoreThreshold = 0;  ///< detections kept above this (also the operating score)
  float iouThreshold = 0;    ///< NMS overlap used
  int images = 0;            ///< images evaluated (unreadable ones not counted)
  double seconds = 0;        ///< wall time of detection (reading + network + NMS)
  double imagesPerSecond = 0;
  bool cancelled = false;               ///< the progress callback asked to stop
  std::vector<data::LoadIssue> issues;  ///< annotation lines skipped (see readAnnotationFile)
  /// The images evaluated, their boxes and the detections kept, in order: what
  /// analyseErrors() (core/eval/error_analysis.h) judges, at any threshold, without the
  /// network again.
  std::vector<std::filesystem::path> imagePaths;
  std::vector<std::vector<data::Box>> groundTruth;
  std::vector<std::vector<infer::Detection>> detections;
};

/// Runs `detector` on every image of `annotationFile` and scores the detections against its
/// boxes (see evaluate()). Class ids >= the detector's class count are issues. An image that
/// cannot be read (missing, truncated, not an image, too large to decode) is left out and
/// named in result.unreadableImages. Throws std::runtime_error naming the file when the
/// annotation file cannot be read, or when no image can.
EvaluationReport evaluateOnAnnotationFile(infer::Detector& detector,
                                          const std::filesystem::path& annotationFile,
                                          float scoreThreshold = 0.05f, float iouThreshold = 0.45f,
                                          const EvalProgress& progress = {});

/// As above on samples already read (paths absolute or relative to the working folder).
EvaluationReport evaluateOnSamples(infer::Detector& detector,
                                   const std::vector<data::Sample>& samples,
                                   float scoreThreshold = 0.05f, float iouThreshold = 0.45f,
                                   const EvalProgress& progress = {});

}  // namespace yolo::eval
