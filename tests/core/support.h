#pragma once
// Shared helpers for the core tests: a fixture that seeds every RNG, and scratch folders.

#include <filesystem>

#include <gtest/gtest.h>

namespace yolo::test {

/// Seeds torch, std and OpenCV RNGs so every test is repeatable.
class SeededTest : public ::testing::Test {
 protected:
  void SetUp() override;
};

/// A fresh folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A child process that begins writing `file` with writeFileAtomically and hangs halfway
/// (1 MiB written, the temporary file open and locked); constructed once the temporary file
/// is on disk. kill() is the crash mid-write (SIGKILL, then reaped); the destructor kills a
/// writer still running, so a failed assertion never leaves it holding the test's output,
/// and the child dies with its parent too.
class HangingWriter {
 public:
  explicit HangingWriter(const std::filesystem::path& file);
  ~HangingWriter() { kill(); }
  HangingWriter(const HangingWriter&) = delete;
  HangingWriter& operator=(const HangingWriter&) = delete;
  int pid() const { return pid_; }
  void kill();

 private:
  int pid_ = -1;
};

}  // namespace yolo::test
