// A Darknet .weights file read against a model's convs, as `train --weights`, `export` and
// `yolo-cli detect` with a .cfg read one. Real models take megabytes, so the model is a
// small one described by the input's first 4 bytes (class count, 1-3 BN convs of 1-4
// filters, 1x1 or 3x3, then the output conv); the rest is the file. The first byte also
// chooses strict or transfer loading and a stated or inferred class count.
#include <vector>

#include "core/model/darknet_weights.h"
#include "fuzz/fuzz_input.h"

using yolo::model::DarknetConvShape;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 4) return 0;
  const int classes = 1 + data[0] % 3;
  yolo::model::DarknetLoadOptions options;
  options.fileNumClasses = (data[0] >> 4) & 3;  // 0: inferred from the size
  options.skipMismatchedLayers = (data[0] & 0x80) != 0;
  std::vector<DarknetConvShape> convs;
  int64_t channels = 3;
  for (int i = 0; i < 1 + data[1] % 3; ++i) {
    DarknetConvShape c;
    c.in = channels;
    c.out = 1 + (data[2] >> (2 * i)) % 4;
    c.k = (data[3] >> i) & 1 ? 3 : 1;
    c.bn = c.leaky = true;
    convs.push_back(c);
    channels = c.out;
  }
  DarknetConvShape output;
  output.in = channels;
  output.out = 3 * (5 + classes);
  output.k = 1;
  convs.push_back(output);
  try {
    yolo::model::readDarknetWeights(yolo::fuzz::writeInput("model.weights", data + 4, size - 4),
                                    convs, "fuzz-model", classes, options);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
