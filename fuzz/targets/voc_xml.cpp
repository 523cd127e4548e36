// A Pascal VOC annotation (Annotations/NAME.xml), imported as `importVoc` reads a folder.
#include "core/data/voc_format.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto folder = yolo::fuzz::scratchFolder() / "voc";
  yolo::fuzz::pictureAt(folder / "JPEGImages" / "a.jpg");  // what the seeds name
  yolo::fuzz::writeBytes(folder / "Annotations" / "a.xml", data, size);
  try {
    yolo::data::importVoc(folder);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
