#include <torch/torch.h>

#include "core/util/compute_device.h"

#include <stdexcept>

namespace yolo {

c10::Device computeDevice(const std::string& name) {
  if (name.empty() || name == "auto")
    return torch::cuda::is_available() ? torch::Device(torch::kCUDA, 0)
                                       : torch::Device(torch::kCPU);
  torch::Device device(torch::kCPU);
  try {
    device = torch::Device(name);
  } catch (const c10::Error&) {
    throw std::runtime_error("unknown device \"" + name + "\" (expected auto, cpu or cuda:N)");
  }
  if (device.is_cuda()) {
    const int count = static_cast<int>(torch::cuda::device_count());
    const int index = device.has_index() ? device.index() : 0;
    if (index >= count)
      throw std::runtime_error("device \"" + name + "\" is not available (" +
                               std::to_string(count) + " CUDA devices)");
    device = torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  } else if (!device.is_cpu()) {
    throw std::runtime_error("unsupported device \"" + name + "\" (expected auto, cpu or cuda:N)");
  }
  return device;
}

}  // namespace yolo
