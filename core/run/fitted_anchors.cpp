#include "core/run/fitted_anchors.h"

#include <stdexcept>

#include "core/data/anchor_fit.h"
#include "core/data/dataset_source.h"

namespace yolo::run {

FittedAnchorsReport fitAnchorsToTrainingData(RunConfig& config) {
  const std::string source = config.dataset.empty() ? config.trainAnnotations : config.dataset;
  if (source.empty()) throw std::runtime_error("anchors: the run has no training data to fit to");
  const data::DatasetSplits d =
      data::openDatasetSplits(source, {config.validationShare, config.seed});
  const auto shapes = data::letterboxedBoxShapes(d.train, config.model.inputSize);
  data::ModelAnchorFit fit;
  try {
    fit = data::fitModelAnchors(shapes, config.model.architecture, /*restarts=*/10, config.seed);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(source + ": " + e.what());
  }
  FittedAnchorsReport report;
  report.boxes = static_cast<int>(shapes.size());
  report.previousMeanBestIou =
      data::meanBestIou(shapes, data::flatten(model::anchorsOf(config.model)));
  report.meanBestIou = fit.meanBestIou;
  config.model.anchors = fit.anchors;
  return report;
}

}  // namespace yolo::run
