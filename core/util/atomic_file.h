#pragma once
// Writing files that matter (checkpoints, configs, annotation files) so that a crash
// at any moment leaves either the old file or the new one, whole.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace yolo {

/// Writes `path` atomically: `write` fills a temporary file in the same folder
/// (`.NAME.tmpPID-N`), which is flushed and renamed over `path` only if `write` returns
/// normally. On any failure the temporary file is removed, `path` is untouched, and
/// std::runtime_error names the file. The writer holds an flock on its temporary file until
/// the rename, which is how removeStaleTemporaryFiles tells a live write from a dead one.
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(std::ostream&)>& write);

/// Convenience: atomically replaces `path` with `contents`.
void writeTextAtomically(const std::filesystem::path& path, const std::string& contents);

/// A temporary file of writeFileAtomically that removeStaleTemporaryFiles removed.
struct StaleTemporaryFile {
  std::string name;          ///< file name within the folder
  std::uintmax_t bytes = 0;  ///< its size when removed
};

/// Removes the temporary files that writeFileAtomically left in `folder` when its process
/// died mid-write (SIGKILL, power loss): files named `.NAME.tmp<digits>...` whose lock
/// nobody holds. A file whose writer still runs, in this process or another, keeps its lock
/// and is left alone. Never throws for a file it cannot remove (it stays); returns the ones
/// removed. A missing folder has nothing to remove.
std::vector<StaleTemporaryFile> removeStaleTemporaryFiles(const std::filesystem::path& folder);

/// One line for a report: "removed 2 temporary files of interrupted writes (.last.pt.tmp81-0,
/// 100.2 MB; ...)"; empty when `removed` is.
std::string describeRemoved(const std::vector<StaleTemporaryFile>& removed);

/// Reads a whole file; throws std::runtime_error naming the file when it cannot be read.
std::string readTextFile(const std::filesystem::path& path);

}  // namespace yolo
