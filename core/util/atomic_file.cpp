#include "core/util/atomic_file.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <sys/file.h>
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
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

void writeFileAtomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  if (!path.parent_path().empty() && !fs::is_directory(path.parent_path())) {
    throw std::runtime_error(path.string() + ": folder " + path.parent_path().string() +
                             " does not exist");
  }
  const fs::path temp = temporarySibling(path);
  FileDescriptor locked;
  locked.fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (locked.fd < 0) {
    throw std::runtime_error(path.string() + ": cannot create " + temp.string() + ": " +
                             std::strerror(errno));
  }
  // Held until the descriptor closes, after the rename: while it is held the file is a
  // live write, and once the process dies the kernel releases it, marking the file stale.
  ::flock(locked.fd, LOCK_EX);
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error(path.string() + ": cannot create " + temp.string());
      write(out);
      out.flush();
      if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
    }
    ::fsync(locked.fd);
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
    const std::uintmax_t bytes = fs::file_size(it->path(), error);
    if (::unlink(it->path().c_str()) == 0) removed.push_back({name, error ? 0 : bytes});
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
