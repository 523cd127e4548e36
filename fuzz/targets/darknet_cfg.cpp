// A Darknet .cfg, as loading a Darknet model (a .cfg with its .weights) reads it.
#include <string>

#include "core/model/darknet_cfg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    yolo::model::parseDarknetCfg(std::string(reinterpret_cast<const char*>(data), size), "f.cfg");
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
