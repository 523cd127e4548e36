#include "core/util/atomic_file.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace yolo {
namespace fs = std::filesystem;

namespace {

// `.NAME.tmp<pid>-<n>`: same folder, so the final rename never crosses file systems; the
// pid says whose it was, the counter keeps two writes of one process apart.
fs::path temporarySibling(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.parent_path() / ("." + path.filename().string() + ".tmp" +
                               std::to_string(::getpid()) + "-" + std::to_string(counter++));
}

// What temporarySibling makes, and the `.NAME.tmp<random>` of earlier versions.
bool isTemporaryName(const std::string& name) {
  static const std::regex pattern(R"(^\..+\.tmp[0-9]+(-[0-9]+)?$)");
  return std::regex_match(name, pattern);
}

// Closes the descriptor (and so releases its lock) on every path out.
struct FileDescriptor {
  int fd = -1;
  FileDescriptor() = default;
  FileDescriptor(FileDescriptor&& other) noexcept : fd(std::exchange(other.fd, -1)) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// An ostream's buffer over the locked descriptor itself: reopening the temporary file by
// name could open another file than the one locked (see removeStaleTemporaryFiles).
class DescriptorBuffer : public std::streambuf {
 public:
  explicit DescriptorBuffer(int fd) : fd_(fd) { setp(buffer_, buffer_ + sizeof buffer_); }
  ~DescriptorBuffer() override = default;

 protected:
  int_type overflow(int_type c) override {
    if (sync() != 0) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override {
    const char* next = pbase();
    while (next < pptr()) {
      const ssize_t written = ::write(fd_, next, static_cast<std::size_t>(pptr() - next));
      if (written < 0 && errno == EINTR) continue;
      if (written <= 0) return -1;  // errno says why (ENOSPC: disk full)
      next += written;
    }
    setp(buffer_, buffer_ + sizeof buffer_);
    return 0;
  }

 private:
  int fd_;
  char buffer_[1 << 16];
};

// Creates and locks a new temporary sibling of `path`. A name left by a killed process
// with this pid (in a container every run is pid 1) is skipped; a file the cleaner removed
// between our open and our lock (no links left) is given up for a fresh one.
FileDescriptor createLockedTemporary(const fs::path& path, fs::path& temp) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    temp = temporarySibling(path);
    FileDescriptor file;
    file.fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (file.fd < 0) {
      if (errno == EEXIST) continue;
      throw std::runtime_error(path.string() + ": cannot create " + temp.string() + ": " +
                               std::strerror(errno));
    }
    // Held until the descriptor closes, after the rename: while it is held the file is a
    // live write, and once the process dies the kernel releases it, marking the file stale.
    ::flock(file.fd, LOCK_EX);
    struct stat status {};
    if (::fstat(file.fd, &status) == 0 && status.st_nlink > 0) return file;
  }
  throw std::runtime_error(path.string() + ": cannot create a temporary file beside it");
}

// Test-only: YOLO_TEST_ATOMIC_WRITE_PAUSE_MS holds each write open this long between its
// last byte and its rename, so the crash soak (tests/soak) can kill a process mid-write,
// which otherwise lasts a few milliseconds. Unset (always, outside tests): no pause.
void pauseBeforeRenameForTesting() {
  static const long pauseMs = [] {
    const char* value = std::getenv("YOLO_TEST_ATOMIC_WRITE_PAUSE_MS");
    return value ? std::strtol(value, nullptr, 10) : 0L;
  }();
  if (pauseMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(pauseMs));
}

}  // namespace

void writeFileAtomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  if (!path.parent_path().empty() && !fs::is_directory(path.parent_path())) {
    throw std::runtime_error(path.string() + ": folder " + path.parent_path().string() +
                             " does not exist");
  }
  fs::path temp;
  FileDescriptor locked = createLockedTemporary(path, temp);
  try {
    DescriptorBuffer buffer(locked.fd);
    std::ostream out(&buffer);
    write(out);
    out.flush();
    if (!out) {
      throw std::runtime_error(path.string() + ": write failed (" + std::strerror(errno) + ")");
    }
    // Some file systems report a full disk only here, when the data reaches it.
    if (::fsync(locked.fd) != 0) {
      throw std::runtime_error(path.string() + ": write failed (" + std::strerror(errno) + ")");
    }
    pauseBeforeRenameForTesting();
    fs::rename(temp, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
}

std::vector<StaleTemporaryFile> removeStaleTemporaryFiles(const fs::path& folder) {
  std::vector<StaleTemporaryFile> removed;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    const std::string name = it->path().filename().string();
    if (!isTemporaryName(name) || !it->is_regular_file(error)) continue;
    FileDescriptor probe;
    probe.fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    if (probe.fd < 0) continue;
    if (::flock(probe.fd, LOCK_EX | LOCK_NB) != 0) continue;  // its writer is alive
    // Still the file locked (not a new one made under the same name meanwhile)?
    struct stat locked {
    }, named{};
    if (::fstat(probe.fd, &locked) != 0 || ::stat(it->path().c_str(), &named) != 0 ||
        locked.st_ino != named.st_ino || locked.st_dev != named.st_dev)
      continue;
    const auto bytes = static_cast<std::uintmax_t>(locked.st_size);
    if (::unlink(it->path().c_str()) == 0) removed.push_back({name, bytes});
    error.clear();
  }
  std::sort(removed.begin(), removed.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return removed;
}

std::string describeRemoved(const std::vector<StaleTemporaryFile>& removed) {
  if (removed.empty()) return {};
  std::ostringstream line;
  line << "removed " << removed.size() << " temporary file" << (removed.size() == 1 ? "" : "s")
       << " of interrupted writes (";
  for (std::size_t i = 0; i < removed.size(); ++i) {
    line << (i ? "; " : "") << removed[i].name << ", " << std::fixed << std::setprecision(1)
         << static_cast<double>(removed[i].bytes) / 1e6 << " MB";
  }
  line << ")";
  return line.str();
}

void writeTextAtomically(const fs::path& path, const std::string& contents) {
  writeFileAtomically(path, [&](std::ostream& out) { out << contents; });
}

std::string readTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path.string() + ": cannot open file for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace yolo
