#include "app/front/exec_program.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace yolo::front {

void execProgramBeside(const char* program, char** argv) {
  std::string self(4096, '\0');
  const ssize_t length = ::readlink("/proc/self/exe", self.data(), self.size() - 1);
  if (length <= 0) {
    std::fprintf(stderr, "%s: cannot find its own executable (/proc/self/exe): %s\n", argv[0],
                 std::strerror(errno));
    return;
  }
  self.resize(static_cast<std::size_t>(length));
  const std::string path = self.substr(0, self.rfind('/') + 1) + program;
  ::execv(path.c_str(), argv);
  std::fprintf(stderr, "%s: cannot start %s: %s (is the installation complete?)\n", argv[0],
               path.c_str(), std::strerror(errno));
}

}  // namespace yolo::front
