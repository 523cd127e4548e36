#pragma once
// The settings of the UI tests' training runs: YOLOv3-tiny at 96 pixels on a squares
// dataset (squares_dataset.h), batch 2, one thread, no mAP: a step takes a fraction of a
// second, so a test sees many.

#include <QString>

#include "core/model/model_spec.h"
#include "core/run/run_config.h"

namespace yolo::test {

inline run::RunConfig tinyRunConfig(const QString& dataFolder, int epochs) {
  run::RunConfig c = run::preset("cpu-fast");
  run::useDataFolder(c, dataFolder.toStdString());
  c.model.architecture = "yolov3-tiny";
  c.model.numClasses = 2;
  c.model.anchors = model::defaultAnchors("yolov3-tiny");
  c.model.inputSize = 96;
  c.batchSize = 2;
  c.epochs = epochs;
  c.device = "cpu";
  c.threads = 1;
  c.dataWorkers = 1;
  c.evalEveryEpochs = 0;
  return c;
}

}  // namespace yolo::test
