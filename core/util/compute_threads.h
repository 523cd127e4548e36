#pragma once
// One setting for every thread pool that runs tensor maths in this process.

namespace yolo {

/// Sets libtorch's intra-op thread count to `threads` (0 or less: one per core) and, when
/// the BLAS the process loaded is OpenBLAS (Debian's libopenblas0-pthread takes over
/// libblas.so.3), OpenBLAS's own pool to the same count. Why: libtorch sends some
/// convolutions (1x1 on one thread, some backward passes) to BLAS, and OpenBLAS otherwise
/// starts one thread per core that spin on sched_yield between calls, so a "1 thread" run
/// used two cores and the spinning stole time from libtorch's threads. Returns the count set
/// (always 1 in a ThreadSanitizer build: see the source).
int setComputeThreads(int threads);

}  // namespace yolo
