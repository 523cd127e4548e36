#include "core/eval/evaluate_model.h"

#include <chrono>

namespace yolo::eval {

EvaluationReport evaluateOnAnnotationFile(infer::Detector& detector,
                                          const std::filesystem::path& annotationFile,
                                          float scoreThreshold, float iouThreshold,
                                          const EvalProgress& progress) {
  data::AnnotationReadOptions readOptions;
  readOptions.numClasses = static_cast<int>(detector.classNames().size());
  data::AnnotationLoadResult loaded = data::readAnnotationFile(annotationFile, readOptions);
  EvaluationReport report =
      evaluateOnSamples(detector, loaded.samples, scoreThreshold, iouThreshold, progress);
  report.issues = std::move(loaded.issues);
  return report;
}

EvaluationReport evaluateOnSamples(infer::Detector& detector,
                                   const std::vector<data::Sample>& samples, float scoreThreshold,
                                   float iouThreshold, const EvalProgress& progress) {
  EvaluationReport report;
  report.scoreThreshold = scoreThreshold;
  report.iouThreshold = iouThreshold;
  infer::DetectOptions options;
  options.scoreThreshold = scoreThreshold;
  options.iouThreshold = iouThreshold;

  std::vector<std::vector<GroundTruthBox>> groundTruth;
  std::vector<std::vector<Detection>> detections;
  const auto start = std::chrono::steady_clock::now();
  const int total = static_cast<int>(samples.size());
  for (const data::Sample& sample : samples) {
    detections.push_back(detector.detect(infer::readImageOrThrow(sample.image), options));
    groundTruth.push_back(sample.boxes);
    if (progress && !progress(static_cast<int>(detections.size()), total)) {
      report.cancelled = static_cast<int>(detections.size()) < total;
      break;
    }
  }
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.images = static_cast<int>(detections.size());
  report.imagesPerSecond = report.seconds > 0 ? report.images / report.seconds : 0;

  EvaluateOptions evalOptions;
  evalOptions.operatingScore = scoreThreshold;
  evalOptions.classNames = detector.classNames();
  report.result = evaluate(groundTruth, detections, static_cast<int>(evalOptions.classNames.size()),
                           evalOptions);
  return report;
}

}  // namespace yolo::eval
