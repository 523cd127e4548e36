// A COCO detection JSON file (images, annotations, categories), as `importCoco` reads it.
#include "core/data/coco_format.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  yolo::fuzz::pictureAt(yolo::fuzz::scratchFolder() / "coco" / "a.jpg");  // the seeds' image
  try {
    yolo::data::importCoco(yolo::fuzz::writeInput("coco/instances_train.json", data, size));
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
