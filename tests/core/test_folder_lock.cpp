// FolderLock: one holder at a time, named to the one refused; a killed holder frees it.

#include <csignal>
#include <optional>
#include <stdexcept>
#include <string>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/util/folder_lock.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;

namespace {

std::string refusal(const fs::path& folder) {
  try {
    yolo::FolderLock second(folder);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

// A child process that takes the lock and holds it until killed.
class LockHolder {
 public:
  explicit LockHolder(const fs::path& folder) {
    int ready[2];
    if (::pipe(ready) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      try {
        yolo::FolderLock lock(folder);
        const char byte = 1;
        if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
        for (;;) ::pause();
      } catch (...) {
      }
      ::_exit(1);
    }
    ::close(ready[1]);
    char byte = 0;
    const bool locked = ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
    if (!locked) throw std::runtime_error("the holder did not take the lock");
  }
  ~LockHolder() { kill(); }
  LockHolder(const LockHolder&) = delete;
  LockHolder& operator=(const LockHolder&) = delete;
  int pid() const { return pid_; }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  int pid_ = -1;
};

}  // namespace

TEST(FolderLock, ASecondHolderInThisProcessIsRefusedUntilTheFirstEnds) {
  yolo::test::ScratchDir dir;
  {
    yolo::FolderLock first(dir.path());
    const std::string message = refusal(dir.path());
    EXPECT_NE(
        message.find(dir.path().string() + " is in use by process " + std::to_string(::getpid())),
        std::string::npos)
        << message;
  }
  EXPECT_EQ(refusal(dir.path()), "") << "released with its holder";
}

TEST(FolderLock, AnotherProcessIsNamedAndItsDeathFreesTheFolder) {
  yolo::test::ScratchDir dir;
  LockHolder holder(dir.path());
  const std::string message = refusal(dir.path());
  EXPECT_NE(message.find("in use by process " + std::to_string(holder.pid()) + " ("),
            std::string::npos)
      << message;
  holder.kill();  // as kill -9 does: no clean-up ran, the lock file stays
  EXPECT_TRUE(fs::exists(dir.path() / ".lock"));
  EXPECT_EQ(refusal(dir.path()), "") << "a dead process holds nothing";
}

TEST(FolderLock, AMissingFolderIsAnErrorNamingTheFile) {
  try {
    yolo::FolderLock lock("/nonexistent-folder-xyz/run");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder-xyz/run/.lock"), std::string::npos)
        << e.what();
  }
}
