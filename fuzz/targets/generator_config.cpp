// A generator config (`make-data --config`), then validated as make-data does.
#include "core/data/generator.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto config =
        yolo::data::loadGeneratorConfig(yolo::fuzz::writeInput("generator.json", data, size));
    yolo::data::validate(config);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
