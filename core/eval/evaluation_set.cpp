#include "core/eval/evaluation_set.h"

#include <stdexcept>

#include "core/data/dataset_source.h"
#include "core/run/checkpoint.h"

namespace yolo::eval {

EvaluationSet openEvaluationSet(const std::filesystem::path& data,
                                const infer::Detector& detector) {
  EvaluationSet set;
  if (std::filesystem::is_regular_file(data) && data::detectDatasetFormat(data) == "tutorial") {
    data::AnnotationReadOptions options;
    options.numClasses = static_cast<int>(detector.classNames().size());
    data::AnnotationLoadResult loaded = data::readAnnotationFile(data, options);
    set.samples = std::move(loaded.samples);
    set.issues = std::move(loaded.issues);
    set.description = "annotation file " + data.string() + ": " +
                      std::to_string(set.samples.size()) + " images, evaluated whole";
  } else {
    data::ValidationSplitRule rule;
    const run::RunConfig trained = run::readCheckpointHeader(detector.checkpointPath()).config;
    rule.share = trained.validationShare;
    rule.seed = trained.seed;
    data::DatasetSplits splits = data::openDatasetSplits(data, rule);
    if (splits.validation.empty())
      throw std::runtime_error(data.string() +
                               ": no validation images (the dataset has no validation split and "
                               "the model's run held none out: validation_share 0)");
    set.description = splits.summary() + "\nevaluating on the validation split";
    set.classNamesDiffer = splits.classNames != detector.classNames();
    set.samples = std::move(splits.validation);
    set.issues = std::move(splits.issues);
  }
  if (set.samples.empty()) throw std::runtime_error(data.string() + ": no images to evaluate");
  return set;
}

}  // namespace yolo::eval
