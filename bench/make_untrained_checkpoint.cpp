// A checkpoint of an untrained network for the benchmarks that need one of an architecture
// nobody has trained here (YOLOv3 takes hours on a CPU): Kaiming weights, 10 classes, the
// output prior 0.01, so few candidates reach NMS, as with a trained model. Timing and memory
// of loading and running it are those of a trained one.
//   make_untrained_checkpoint ARCHITECTURE OUT.pt [inputSize=416]

#include <cstdio>
#include <exception>
#include <string>

#include "core/model/yolo_net.h"
#include "core/train/checkpoint.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_untrained_checkpoint ARCHITECTURE OUT.pt [inputSize=416]\n");
    return 2;
  }
  try {
    yolo::train::CheckpointHeader header;
    header.config.model =
        yolo::model::makeModelSpec(argv[1], 10, argc > 3 ? std::stoi(argv[3]) : 416);
    header.config.model.init = "kaiming";
    header.config.model.outputPrior = 0.01f;
    yolo::train::saveCheckpoint(argv[2], header, *yolo::model::createModel(header.config.model),
                                nullptr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_untrained_checkpoint: %s\n", e.what());
    return 1;
  }
  return 0;
}
