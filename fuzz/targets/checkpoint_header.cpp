// A checkpoint's JSON header as every checkpoint reader takes it (resume, detect, eval, the
// Detect view's model list), once libtorch has taken it out of the archive, then the config
// in it validated. The archive around it is libtorch's zip reader, not ours.
#include <string>

#include "core/run/checkpoint_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto header =
        yolo::run::checkpointHeaderFromText(std::string(reinterpret_cast<const char*>(data), size));
    yolo::run::validate(header.config);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
