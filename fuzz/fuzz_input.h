#pragma once
// What the fuzz targets share. Our readers open files by path, as users give them, so each
// input is written to a file in a scratch folder of this process and read from there.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

#include <unistd.h>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace yolo::fuzz {

/// A folder of this process under $TMPDIR (or /tmp), made on first use.
inline const std::filesystem::path& scratchFolder() {
  static const std::filesystem::path folder = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path p = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") /
                              ("yolo-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(p);
    return p;
  }();
  return folder;
}

/// Writes `size` bytes to `path` (replacing it) and returns `path`.
inline std::filesystem::path writeBytes(const std::filesystem::path& path, const uint8_t* data,
                                        size_t size) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  return path;
}

/// Writes the input as scratchFolder()/name.
inline std::filesystem::path writeInput(const std::string& name, const uint8_t* data, size_t size) {
  return writeBytes(scratchFolder() / name, data, size);
}

/// A small picture at `path` (made once a process) for the inputs that name an image.
inline const std::filesystem::path& pictureAt(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    std::filesystem::create_directories(path.parent_path());
    cv::imwrite(path.string(), cv::Mat(48, 64, CV_8UC3, cv::Scalar(255, 255, 255)));
  }
  return path;
}

}  // namespace yolo::fuzz
