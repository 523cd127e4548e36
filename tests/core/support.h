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

/// Starts a child process that begins writing `file` with writeFileAtomically and hangs
/// halfway (1 MiB written, the temporary file open and locked); returns its pid once the
/// temporary file is on disk. The caller kills it (SIGKILL: a crash mid-write) and reaps it.
int startAtomicWriterThatHangs(const std::filesystem::path& file);

/// Kills `pid` with SIGKILL and waits for it.
void killAndReap(int pid);

}  // namespace yolo::test
