#include <torch/torch.h>

#include "core/util/compute_threads.h"

#include <algorithm>
#include <thread>

#include <dlfcn.h>

namespace yolo {

int setComputeThreads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#if defined(__SANITIZE_THREAD__)
  // ThreadSanitizer cannot see the barriers of libgomp, which runs libtorch's parallel loops
  // (it is not instrumented), and would report every loop's workers as racing with the
  // thread that started them. In such a build the loops run on the calling thread, so what
  // it reports are our threads: trainer, loaders, workers (tests/tsan/run.sh).
  threads = 1;
#endif
  torch::set_num_threads(threads);
  // Looked up at run time: libtorch links the generic libblas.so.3, which may be OpenBLAS,
  // the reference BLAS (no threads) or MKL; only OpenBLAS has this entry point.
  // Only when it changes: OpenBLAS rebuilds its pool, which must not happen under a BLAS call
  // another thread (a training run beside a detector) may be making.
  using SetThreads = void (*)(int);
  using GetThreads = int (*)();
  auto* set = reinterpret_cast<SetThreads>(::dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  auto* get = reinterpret_cast<GetThreads>(::dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  if (set && (!get || get() != threads)) set(threads);
  return threads;
}

}  // namespace yolo
