#pragma once
// One process at a time in a folder that a long job writes (a training run): a second
// trainer on the same run, from the CLI or the workbench, would interleave checkpoints and
// metrics. The lock is an flock on a small file in the folder, so the kernel releases it
// when its holder dies (kill -9, a crash): a dead process never holds a folder.

#include <filesystem>
#include <string>

namespace yolo {

class FolderLock {
 public:
  /// Takes the lock on `folder` (which must exist) through the file `folder/lockName`,
  /// writing this process's id and program name into it. Throws std::runtime_error when
  /// another holder has it: "FOLDER is in use by process PID (PROGRAM)". Holders are
  /// processes and also other FolderLocks of this process.
  explicit FolderLock(const std::filesystem::path& folder, const std::string& lockName = ".lock");
  ~FolderLock();  ///< releases the lock; the file stays (removing it would race a new holder)

  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  int fd_ = -1;
};

}  // namespace yolo
