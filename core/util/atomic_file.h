#pragma once
// Writing files that matter (checkpoints, configs, annotation files) so that a crash
// at any moment leaves either the old file or the new one, whole.

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>

namespace yolo {

/// Writes `path` atomically: `write` fills a temporary file in the same folder, which is
/// flushed and renamed over `path` only if `write` returns normally. On any failure the
/// temporary file is removed, `path` is untouched, and std::runtime_error names the file.
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(std::ostream&)>& write);

/// Convenience: atomically replaces `path` with `contents`.
void writeTextAtomically(const std::filesystem::path& path, const std::string& contents);

/// Reads a whole file; throws std::runtime_error naming the file when it cannot be read.
std::string readTextFile(const std::filesystem::path& path);

}  // namespace yolo
