#include "core/util/process_environment.h"

#include <cstdlib>
#include <mutex>

#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace yolo {

void ensurePassiveOpenMpWaiting(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0);
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on with spinning threads rather than not at all.
}

void keepLargeAllocationsInOneHeap() {
#if defined(__GLIBC__)  // other C libraries keep their own policy
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
#endif
}

}  // namespace yolo
