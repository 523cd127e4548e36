// Device names read the same way for training and detection, with one message per mistake.

#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "core/util/compute_device.h"

namespace {

// The message of computeDevice(name)'s error, or "" when it accepts the name.
std::string errorFor(const std::string& name) {
  try {
    yolo::computeDevice(name);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ComputeDevice, AutoIsTheFirstGpuWhereThereIsOneElseTheCpu) {
  const c10::Device expected =
      torch::cuda::is_available() ? c10::Device(c10::kCUDA, 0) : c10::Device(c10::kCPU);
  EXPECT_EQ(yolo::computeDevice("auto"), expected);
  EXPECT_EQ(yolo::computeDevice(""), expected);
  EXPECT_EQ(yolo::computeDevice("cpu"), c10::Device(c10::kCPU));
}

TEST(ComputeDevice, UnknownOrMissingDevicesAreNamedInTheError) {
  EXPECT_NE(errorFor("tpu:3").find("unknown device \"tpu:3\""), std::string::npos)
      << errorFor("tpu:3");
  EXPECT_NE(errorFor("gpu").find("\"gpu\""), std::string::npos) << errorFor("gpu");
  // One device past the last CUDA device there is (none on a CPU-only libtorch).
  const std::string missing = "cuda:" + std::to_string(torch::cuda::device_count());
  EXPECT_NE(errorFor(missing).find("\"" + missing + "\" is not available"), std::string::npos)
      << errorFor(missing);
}
