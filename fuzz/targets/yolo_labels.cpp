// One YOLO txt label file (`class cx cy w h` per line, normalised) against its image, as the
// Darknet and Ultralytics importers read each one.
#include "core/data/yolo_txt_format.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto image = yolo::fuzz::pictureAt(yolo::fuzz::scratchFolder() / "image.png");
  yolo::data::ImportResult result;
  try {
    yolo::data::readYoloLabels(image, yolo::fuzz::writeInput("image.txt", data, size), 10, result);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
