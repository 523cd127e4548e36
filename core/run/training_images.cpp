#include "core/run/training_images.h"

#include "core/data/annotation_file.h"
#include "core/data/dataset_source.h"
#include "core/util/class_names.h"

namespace yolo::run {

std::size_t countTrainingImages(const RunConfig& config) {
  if (!config.dataset.empty()) {
    return data::openDatasetSplits(config.dataset, {config.validationShare, config.seed})
        .train.size();
  }
  data::AnnotationReadOptions options;
  options.numClasses = static_cast<int>(readClassNames(config.classesFile).size());
  return data::readAnnotationFile(config.trainAnnotations, options).samples.size();
}

}  // namespace yolo::run
