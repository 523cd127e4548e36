#include "core/util/process_environment.h"

#include <cstdlib>

#include <unistd.h>

namespace yolo {

void ensurePassiveOpenMpWaiting(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "passive", /*overwrite=*/0);
  ::execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on with spinning threads rather than not at all.
}

}  // namespace yolo
