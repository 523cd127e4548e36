#include <torch/torch.h>

#include "core/eval/evaluate_network.h"

#include <algorithm>
#include <stdexcept>

#include "core/data/detection_dataset.h"
#include "core/infer/postprocess.h"
#include "core/util/image_file.h"
#include "core/util/letterbox.h"

namespace yolo::eval {

namespace {

/// Restores a module's training flag however the evaluation ends.
class TrainingModeRestorer {
 public:
  explicit TrainingModeRestorer(torch::nn::Module& m) : module_(m), wasTraining_(m.is_training()) {}
  ~TrainingModeRestorer() { module_.train(wasTraining_); }
  TrainingModeRestorer(const TrainingModeRestorer&) = delete;
  TrainingModeRestorer& operator=(const TrainingModeRestorer&) = delete;

 private:
  torch::nn::Module& module_;
  bool wasTraining_;
};

torch::Device deviceOf(const torch::nn::Module& net) {
  const auto params = net.parameters();
  return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace

EvaluationResult evaluateNetwork(model::YoloNetImpl& net, const std::vector<data::Sample>& samples,
                                 const std::vector<std::string>& classNames,
                                 const NetworkEvalOptions& options) {
  return evaluateNetworkReport(net, samples, classNames, options).result;
}

EvaluationReport evaluateNetworkReport(model::YoloNetImpl& net,
                                       const std::vector<data::Sample>& samples,
                                       const std::vector<std::string>& classNames,
                                       const NetworkEvalOptions& options) {
  const int inputSize = net.spec().inputSize;
  const int batchSize = std::max(1, options.batchSize);
  const torch::Device device = deviceOf(net);
  infer::DetectOptions detect;
  detect.scoreThreshold = options.scoreThreshold;
  detect.iouThreshold = options.iouThreshold;
  detect.maxDetections = options.maxDetections;

  TrainingModeRestorer restore(net);
  net.eval();
  torch::InferenceMode guard;

  EvaluationReport report;
  report.scoreThreshold = options.scoreThreshold;
  report.iouThreshold = options.iouThreshold;
  std::vector<std::vector<GroundTruthBox>>& groundTruth = report.groundTruth;
  std::vector<std::vector<Detection>>& detections = report.detections;
  std::vector<std::string> unreadable;
  const int total = static_cast<int>(samples.size());
  for (size_t first = 0; first < samples.size(); first += static_cast<size_t>(batchSize)) {
    const size_t last = std::min(samples.size(), first + static_cast<size_t>(batchSize));
    std::vector<cv::Mat> inputs;
    std::vector<LetterboxGeometry> geometries;
    std::vector<cv::Size> sizes;
    std::vector<size_t> read;  // the samples of this batch that could be read
    for (size_t i = first; i < last; ++i) {
      cv::Mat bgr;
      try {
        bgr = toBgr8(readImageOrThrow(samples[i].image));
      } catch (const std::exception& e) {
        // One bad file does not end the evaluation: it is named once and left out.
        unreadable.push_back(e.what());
        continue;
      }
      LetterboxGeometry g;
      inputs.push_back(letterboxRgb(bgr, inputSize, &g));
      geometries.push_back(g);
      sizes.push_back(bgr.size());
      read.push_back(i);
    }
    if (!read.empty()) {
      const auto raw = net.forward(infer::toInputTensor(inputs, device));
      if (options.onBatch) {
        std::vector<torch::Tensor> truth;
        for (size_t k = 0; k < read.size(); ++k)
          truth.push_back(data::toNetworkBoxes(samples[read[k]].boxes, geometries[k], inputSize));
        options.onBatch(raw, truth);
      }
      const auto candidates = infer::decodeCandidates(raw, net);
      for (size_t k = 0; k < candidates.size(); ++k) {
        detections.push_back(
            infer::toDetections(infer::postprocess(candidates[k], geometries[k], sizes[k].width,
                                                   sizes[k].height, detect),
                                classNames));
        groundTruth.push_back(samples[read[k]].boxes);
        report.imagePaths.push_back(samples[read[k]].image);
      }
    }
    if (options.progress && !options.progress(static_cast<int>(last), total)) break;
  }
  if (groundTruth.empty() && !unreadable.empty())
    throw std::runtime_error("no image could be read (" + std::to_string(unreadable.size()) +
                             " tried; the first: " + unreadable.front() + ")");

  EvaluateOptions evalOptions;
  evalOptions.operatingScore = options.scoreThreshold;
  evalOptions.classNames = classNames;
  report.result = evaluate(groundTruth, detections, net.spec().numClasses, evalOptions);
  report.result.unreadableImages = std::move(unreadable);
  report.images = static_cast<int>(report.imagePaths.size());
  return report;
}

}  // namespace yolo::eval
