#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

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

TEST(AtomicFile, AKilledWritersTemporaryIsRemovedAndALiveOneIsNot) {
  yolo::test::ScratchDir dir;
  const fs::path file = dir.path() / "last.pt";
  yolo::writeTextAtomically(file, "precious");
  yolo::test::HangingWriter writer(file);
  const std::string prefix = ".last.pt.tmp" + std::to_string(writer.pid()) + "-";
  auto temporaries = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir.path()))
      n += e.path().filename().string().rfind(prefix, 0) == 0;
    return n;
  };
  ASSERT_EQ(temporaries(), 1);

  EXPECT_TRUE(yolo::removeStaleTemporaryFiles(dir.path()).empty()) << "its writer still runs";
  EXPECT_EQ(temporaries(), 1);

  writer.kill();
  const auto removed = yolo::removeStaleTemporaryFiles(dir.path());
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].name.rfind(prefix, 0), 0u) << removed[0].name;
  EXPECT_EQ(removed[0].bytes, 1u << 20);
  EXPECT_EQ(temporaries(), 0);
  EXPECT_EQ(yolo::readTextFile(file), "precious") << "the finished file is never touched";
  const std::string line = yolo::describeRemoved(removed);
  EXPECT_NE(line.find("removed 1 temporary file"), std::string::npos) << line;
  EXPECT_NE(line.find(removed[0].name), std::string::npos) << line;
  EXPECT_TRUE(yolo::removeStaleTemporaryFiles(dir.path() / "missing").empty());
}

TEST(AtomicFile, OnlyTheWritersOwnNamesCountAsTemporaries) {
  yolo::test::ScratchDir dir;
  for (const char* name : {"notes.tmp1", ".hidden", ".last.pt.tmp", ".x.tmpabc", "a.tmp12-3"})
    yolo::writeTextAtomically(dir.path() / name, "user data");
  std::ofstream(dir.path() / ".last.pt.tmp123456") << "from an older version, no lock";
  const auto removed = yolo::removeStaleTemporaryFiles(dir.path());
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].name, ".last.pt.tmp123456");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 5);
}

TEST(AtomicFile, ANameLeftByAKilledProcessWithTheSamePidIsSkipped) {
  // In a container every run is pid 1: a killed run's temporaries carry the pid this run has.
  yolo::test::ScratchDir dir;
  const std::string pid = std::to_string(::getpid());
  for (int n = 0; n < 50; ++n)
    std::ofstream(dir.path() / (".a.txt.tmp" + pid + "-" + std::to_string(n))) << "stale";
  yolo::writeTextAtomically(dir.path() / "a.txt", "written");
  EXPECT_EQ(yolo::readTextFile(dir.path() / "a.txt"), "written");
}
