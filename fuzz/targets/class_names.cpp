// A names file (obj.names, classes.txt, mnist.names): one class name per line.
#include "core/util/class_names.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    yolo::readClassNames(yolo::fuzz::writeInput("obj.names", data, size));
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
