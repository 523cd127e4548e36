// A run's config.json, as `train --config` and `train --resume` read it, then validated.
#include "core/run/run_config.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto config = yolo::run::loadRunConfig(yolo::fuzz::writeInput("config.json", data, size));
    yolo::run::validate(config);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
