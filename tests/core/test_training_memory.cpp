// The memory check before training: the lower bound follows the batch and the input size as
// activations do, and a run above the memory available is refused with the figures, while
// one that fits, or a machine whose memory is unknown, goes ahead.

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "core/train/training_memory.h"

using yolo::model::ModelSpec;
using yolo::train::availableMemoryBytes;
using yolo::train::refuseRunLargerThanMemory;
using yolo::train::trainingMemoryLowerBound;

namespace {

ModelSpec spec(const std::string& architecture, int inputSize) {
  ModelSpec s;
  s.architecture = architecture;
  s.inputSize = inputSize;
  return s;
}

}  // namespace

TEST(TrainingMemory, TheBoundFollowsTheBatchAndTheInputArea) {
  for (const char* architecture : {"yolov3", "yolov3-tiny", "yolov3-tiny-3l"}) {
    SCOPED_TRACE(architecture);
    const auto bound = [&](int size, int batch, int bytes) {
      return trainingMemoryLowerBound(spec(architecture, size), batch, 0, bytes);
    };
    // The parameters' share is what a batch of 0 would take; the rest is per image.
    const int64_t parameters = bound(416, 0, 4);
    const int64_t image = bound(416, 1, 4) - parameters;
    EXPECT_GT(parameters, 0);
    EXPECT_GT(image, 0);
    EXPECT_EQ(bound(416, 8, 4), parameters + 8 * image);
    EXPECT_EQ(bound(832, 0, 4), parameters);  // the weights do not depend on the input size
    // Every map's side is the input's over its stride: twice the side, four times the values.
    EXPECT_EQ(bound(832, 1, 4) - parameters, 4 * image);
    // bf16 halves the kept activations, not the float input batch.
    EXPECT_LT(bound(416, 1, 2) - parameters, image);
    EXPECT_GT(bound(416, 1, 2) - parameters, image / 2);
  }
  // Darknet-53 with three heads keeps far more than the tiny models.
  EXPECT_GT(trainingMemoryLowerBound(spec("yolov3", 416), 1, 0, 4),
            4 * trainingMemoryLowerBound(spec("yolov3-tiny", 416), 1, 0, 4));
}

TEST(TrainingMemory, ARunLargerThanMemoryIsRefusedWithTheFigures) {
  const ModelSpec big = spec("yolov3", 1024);
  const int64_t needed = trainingMemoryLowerBound(big, 64, 2, 4);
  try {
    refuseRunLargerThanMemory(big, 64, 2, 4, needed - 1);
    FAIL() << "not refused";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("batch of 64 at 1024 px"), std::string::npos) << message;
    EXPECT_NE(message.find("GB"), std::string::npos) << message;
    EXPECT_NE(message.find("lower batch_size or input_size"), std::string::npos) << message;
  }
  EXPECT_NO_THROW(refuseRunLargerThanMemory(big, 64, 2, 4, needed));
  EXPECT_NO_THROW(refuseRunLargerThanMemory(big, 64, 2, 4, std::nullopt));
}

TEST(TrainingMemory, ThisMachineSaysHowMuchIsAvailable) {
  const auto available = availableMemoryBytes();
#ifdef __linux__
  ASSERT_TRUE(available.has_value());
  EXPECT_GT(*available, 0);
#else
  EXPECT_FALSE(available.has_value());
#endif
}
