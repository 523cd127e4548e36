#pragma once
// libtorch's CPU autocast (bfloat16 convolutions and matrix products) as a scope, over the
// API change of libtorch 2.4 (per-device calls instead of set_cpu_enabled and friends).

#include <c10/core/ScalarType.h>

namespace yolo::model {

/// Whether CPU autocast is on for this thread: ops it lowers run in its dtype, so code with
/// float32-only kernels (the Winograd convs) must leave those ops to libtorch.
bool cpuAutocastEnabled();

/// While alive, the ops CPU autocast lowers run in bfloat16 on this thread. On leaving the
/// outermost scope, autocast's cached bfloat16 copies of the weights are dropped: the next
/// forward pass must cast the weights the optimizer has changed since.
class CpuBf16Autocast {
 public:
  CpuBf16Autocast();
  ~CpuBf16Autocast();
  CpuBf16Autocast(const CpuBf16Autocast&) = delete;
  CpuBf16Autocast& operator=(const CpuBf16Autocast&) = delete;

 private:
  c10::ScalarType previousDtype_;
  bool previousEnabled_;
};

}  // namespace yolo::model
