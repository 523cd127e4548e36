#include "tests/core/support.h"

#include <torch/torch.h>

#include <opencv2/core.hpp>

#include <random>

namespace yolo::test {

void SeededTest::SetUp() {
  torch::manual_seed(1234);
  cv::theRNG().state = 1234;
  std::srand(1234);
}

ScratchDir::ScratchDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("yolo-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

}  // namespace yolo::test
