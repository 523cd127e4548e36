#include "tests/core/support.h"

#include <torch/torch.h>

#include <opencv2/core.hpp>

#include <csignal>
#include <ostream>
#include <random>
#include <string>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util/atomic_file.h"

namespace yolo::test {

void SeededTest::SetUp() {
  torch::manual_seed(1234);
  cv::theRNG().state = 1234;
  std::srand(1234);
}

ScratchDir::ScratchDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() /
          ("yolo-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

HangingWriter::HangingWriter(const std::filesystem::path& file) {
  int ready[2];
  if (::pipe(ready) != 0) throw std::runtime_error("pipe failed");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    ::close(ready[0]);
    try {
      writeFileAtomically(file, [&](std::ostream& out) {
        out << std::string(1 << 20, 'x');
        out.flush();
        const char byte = 1;
        if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
        for (;;) ::pause();  // until killed
      });
    } catch (...) {
    }
    ::_exit(1);
  }
  pid_ = pid;
  ::close(ready[1]);
  char byte = 0;
  const bool started = ::read(ready[0], &byte, 1) == 1;
  ::close(ready[0]);
  if (!started) {
    kill();
    throw std::runtime_error("the writer process did not start writing");
  }
}

void HangingWriter::kill() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

}  // namespace yolo::test
