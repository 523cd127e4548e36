#include "core/model/cpu_autocast.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
#define YOLO_AUTOCAST_PER_DEVICE 1
#else
#define YOLO_AUTOCAST_PER_DEVICE 0
#endif

namespace yolo::model {

bool cpuAutocastEnabled() {
#if YOLO_AUTOCAST_PER_DEVICE
  return at::autocast::is_autocast_enabled(at::kCPU);
#else
  return at::autocast::is_cpu_enabled();
#endif
}

CpuBf16Autocast::CpuBf16Autocast() : previousEnabled_(cpuAutocastEnabled()) {
#if YOLO_AUTOCAST_PER_DEVICE
  previousDtype_ = at::autocast::get_autocast_dtype(at::kCPU);
  at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
  at::autocast::set_autocast_enabled(at::kCPU, true);
#else
  previousDtype_ = at::autocast::get_autocast_cpu_dtype();
  at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  at::autocast::set_cpu_enabled(true);
#endif
}

CpuBf16Autocast::~CpuBf16Autocast() {
#if YOLO_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_enabled(at::kCPU, previousEnabled_);
  at::autocast::set_autocast_dtype(at::kCPU, previousDtype_);
#else
  at::autocast::set_cpu_enabled(previousEnabled_);
  at::autocast::set_autocast_cpu_dtype(previousDtype_);
#endif
  if (!previousEnabled_) at::autocast::clear_cache();
}

}  // namespace yolo::model
