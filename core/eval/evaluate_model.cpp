#include "core/eval/evaluate_model.h"

#include <chrono>
#include <stdexcept>
#include <string>

#include "core/util/image_file.h"

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

  std::vector<std::vector<GroundTruthBox>>& groundTruth = report.groundTruth;
  std::vector<std::vector<Detection>>& detections = report.detections;
  std::vector<std::string> unreadable;
  const auto start = std::chrono::steady_clock::now();
  const int total = static_cast<int>(samples.size());
  int done = 0;
  for (const data::Sample& sample : samples) {
    ++done;
    cv::Mat image;
    try {
      image = readImageOrThrow(sample.image);
    } catch (const std::runtime_error& e) {
      // One bad file does not end the evaluation: it is named once and left out.
      unreadable.push_back(e.what());
    }
    if (!image.empty()) {
      detections.push_back(detector.detect(image, options));
      groundTruth.push_back(sample.boxes);
      report.imagePaths.push_back(sample.image);
    }
    if (progress && !progress(done, total)) {
      report.cancelled = done < total;
      break;
    }
  }
  if (detections.empty() && !unreadable.empty())
    throw std::runtime_error("no image could be read (" + std::to_string(unreadable.size()) +
                             " tried; the first: " + unreadable.front() + ")");
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  report.images = static_cast<int>(detections.size());
  report.imagesPerSecond = report.seconds > 0 ? report.images / report.seconds : 0;

  EvaluateOptions evalOptions;
  evalOptions.operatingScore = scoreThreshold;
  evalOptions.classNames = detector.classNames();
  report.result = evaluate(groundTruth, detections, static_cast<int>(evalOptions.classNames.size()),
                           evalOptions);
  report.result.unreadableImages = std::move(unreadable);
  return report;
}

}  // namespace yolo::eval
