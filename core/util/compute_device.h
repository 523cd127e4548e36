#pragma once
// The device names a user gives (`--device`, config.json's "device", the Train and Detect
// views' device lists), read the same way for training and detection.

#include <string>

#include <c10/core/Device.h>

namespace yolo {

/// "auto" (or empty): the first CUDA device where libtorch has one, else the CPU; "cpu";
/// "cuda" or "cuda:N". Throws std::runtime_error naming the device when the name is unknown
/// or the device is not there (this libtorch has no CUDA, or fewer devices).
c10::Device computeDevice(const std::string& name);

}  // namespace yolo
