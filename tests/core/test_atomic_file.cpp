#include <filesystem>
#include <stdexcept>

#include "core/util/atomic_file.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;

TEST(AtomicFile, ReplacesContentsWhole) {
  yolo::test::ScratchDir dir;
  const fs::path file = dir.path() / "a.txt";
  yolo::writeTextAtomically(file, "first");
  yolo::writeTextAtomically(file, "second");
  EXPECT_EQ(yolo::readTextFile(file), "second");
}

TEST(AtomicFile, FailedWriteKeepsOldFileAndLeavesNoTemporary) {
  yolo::test::ScratchDir dir;
  const fs::path file = dir.path() / "a.txt";
  yolo::writeTextAtomically(file, "precious");
  EXPECT_THROW(yolo::writeFileAtomically(file,
                                         [](std::ostream& out) {
                                           out << "half";
                                           throw std::runtime_error("crash mid-write");
                                         }),
               std::runtime_error);
  EXPECT_EQ(yolo::readTextFile(file), "precious");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST(AtomicFile, MissingFolderNamesThePath) {
  try {
    yolo::writeTextAtomically("/nonexistent-folder-xyz/a.txt", "x");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nonexistent-folder-xyz"), std::string::npos);
  }
}
