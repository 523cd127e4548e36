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

}  // namespace yolo::test
