#include "core/util/atomic_file.h"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

namespace yolo {
namespace fs = std::filesystem;

namespace {

fs::path temporarySibling(const fs::path& path) {
  // Same folder, so the final rename never crosses file systems.
  std::random_device rd;
  return path.parent_path() /
         ("." + path.filename().string() + ".tmp" + std::to_string(rd() % 1000000));
}

void syncFile(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

void writeFileAtomically(const fs::path& path, const std::function<void(std::ostream&)>& write) {
  if (!path.parent_path().empty() && !fs::is_directory(path.parent_path())) {
    throw std::runtime_error(path.string() + ": folder " + path.parent_path().string() +
                             " does not exist");
  }
  const fs::path temp = temporarySibling(path);
  try {
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error(path.string() + ": cannot create " + temp.string());
      write(out);
      out.flush();
      if (!out) throw std::runtime_error(path.string() + ": write failed (disk full?)");
    }
    syncFile(temp);
    fs::rename(temp, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;
  }
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
