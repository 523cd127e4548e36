#include <torch/torch.h>

#include "core/util/compute_threads.h"

#include <algorithm>
#include <thread>

#include <dlfcn.h>

namespace yolo {

int setComputeThreads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
  // Looked up at run time: libtorch links the generic libblas.so.3, which may be OpenBLAS,
  // the reference BLAS (no threads) or MKL; only OpenBLAS has this entry point.
  using SetThreads = void (*)(int);
  if (auto* set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set(threads);
  return threads;
}

}  // namespace yolo
