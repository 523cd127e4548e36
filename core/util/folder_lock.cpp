#include "core/util/folder_lock.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace yolo {
namespace fs = std::filesystem;

namespace {

// The name users know: the packaged programs run as NAME.real behind a front (app/front).
std::string programName() {
  std::ifstream comm("/proc/self/comm");
  std::string name;
  std::getline(comm, name);
  const std::string real = ".real";
  if (name.size() > real.size() && name.compare(name.size() - real.size(), real.size(), real) == 0)
    name.resize(name.size() - real.size());
  return name.empty() ? "unknown program" : name;
}

// What the holder wrote: "PID PROGRAM". Read by name: the holder may be rewriting it.
std::string describeHolder(const fs::path& file) {
  std::ifstream in(file);
  std::string pid, program;
  in >> pid;
  std::getline(in >> std::ws, program);
  if (pid.empty()) return "another process";
  return "process " + pid + (program.empty() ? "" : " (" + program + ")");
}

}  // namespace

FolderLock::FolderLock(const fs::path& folder, const std::string& lockName)
    : file_(folder / lockName) {
  fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    throw std::runtime_error(file_.string() +
                             ": cannot create the lock file: " + std::strerror(errno));
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw std::runtime_error(folder.string() + " is in use by " + describeHolder(file_) +
                               "; wait for it to end or stop it first");
    }
    throw std::runtime_error(file_.string() + ": cannot lock: " + std::strerror(error));
  }
  // The lock is ours: say whose it is for the next one who is refused.
  std::ostringstream holder;
  holder << ::getpid() << ' ' << programName() << '\n';
  const std::string text = holder.str();
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd_, text.data(), text.size(), 0);
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace yolo
