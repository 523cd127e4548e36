// MNIST IDX image and label files, plain or gzip-compressed. The first 4 bytes (little
// endian) say where the rest splits into the image file and the label file, so both are
// fuzzed together.
#include "core/data/digit_source.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const size_t rest = size - 4;
  const uint32_t at = data[0] | (data[1] << 8) | (data[2] << 16) | (uint32_t{data[3]} << 24);
  const size_t split = at < rest ? at : rest;
  const auto images = yolo::fuzz::writeInput("images-idx3-ubyte", data + 4, split);
  const auto labels = yolo::fuzz::writeInput("labels-idx1-ubyte", data + 4 + split, rest - split);
  try {
    yolo::data::loadMnistIdx(images, labels);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
