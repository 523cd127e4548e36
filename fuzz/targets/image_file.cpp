// An image file as training, evaluation and detection read it: the header (size, EXIF
// orientation) first, then the decoder. Anything else than std::runtime_error escaping, or
// an allocation past the 2^30-pixel guard, is a finding.
#include "core/util/image_file.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto file = yolo::fuzz::writeInput("image", data, size);
  yolo::readImageSize(file);
  try {
    yolo::readImageOrThrow(file);
  } catch (const std::runtime_error&) {  // refused, naming the file: a cv::Exception is not
  }
  return 0;
}
