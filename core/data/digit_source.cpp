#include "core/data/digit_source.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <ostream>
#include <stdexcept>
#include <string>

#include <zlib.h>

#include "core/util/atomic_file.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

constexpr int kPixels = kDigitSide * kDigitSide;

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
  throw std::runtime_error(file.string() + ": " + what);
}

// The npm files are ~2 MB of comma-separated numbers each; a direct scan is several times
// faster than building a JSON DOM of 800k values and needs no copy of them.
std::vector<cv::Mat> parseDigitJson(const fs::path& file) {
  const std::string text = readTextFile(file);
  const std::size_t key = text.find("\"data\"");
  if (key == std::string::npos) fail(file, "no \"data\" key (expected {\"data\":[...]})");
  std::size_t pos = text.find_first_not_of(" \t\r\n", key + 6);
  if (pos == std::string::npos || text[pos] != ':') fail(file, "expected ':' after \"data\"");
  pos = text.find_first_not_of(" \t\r\n", pos + 1);
  if (pos == std::string::npos || text[pos] != '[')
    fail(file, "expected '[' after \"data\": at byte " + std::to_string(pos));
  ++pos;

  std::vector<std::uint8_t> values;
  values.reserve(text.size() / 2);
  const char* const begin = text.c_str();
  while (true) {
    pos = text.find_first_not_of(" \t\r\n", pos);
    if (pos == std::string::npos) fail(file, "unterminated \"data\" array (truncated file?)");
    if (text[pos] == ']') break;
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(begin + pos, &end);
    if (end == begin + pos || errno == ERANGE)
      fail(file, "expected a number at byte " + std::to_string(pos));
    if (!(v >= 0.0 && v <= 1.0))
      fail(file,
           "value " + std::to_string(v) + " at byte " + std::to_string(pos) + " is outside 0..1");
    values.push_back(static_cast<std::uint8_t>(std::lround(v * 255.0)));
    pos = static_cast<std::size_t>(end - begin);
    pos = text.find_first_not_of(" \t\r\n", pos);
    if (pos == std::string::npos) fail(file, "unterminated \"data\" array (truncated file?)");
    if (text[pos] == ',') {
      ++pos;
    } else if (text[pos] != ']') {
      fail(file, "expected ',' or ']' at byte " + std::to_string(pos));
    }
  }
  if (values.size() % kPixels != 0)
    fail(file, std::to_string(values.size()) + " values is not a whole number of 28x28 digits (" +
                   std::to_string(kPixels) + " values each)");

  std::vector<cv::Mat> digits;
  const std::size_t n = values.size() / kPixels;
  digits.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    cv::Mat digit(kDigitSide, kDigitSide, CV_8UC1);
    std::memcpy(digit.data, values.data() + i * kPixels, kPixels);
    digits.push_back(digit);
  }
  return digits;
}

// Whole file through zlib: gzread passes plain files through unchanged.
std::vector<std::uint8_t> readMaybeGzipped(const fs::path& file) {
  if (!fs::is_regular_file(file)) fail(file, "no such file");
  gzFile gz = gzopen(file.c_str(), "rb");
  if (gz == nullptr) fail(file, "cannot open file for reading");
  std::vector<std::uint8_t> data;
  std::uint8_t chunk[1 << 16];
  while (true) {
    const int got = gzread(gz, chunk, sizeof chunk);
    if (got < 0) {
      int code = 0;
      const std::string message = gzerror(gz, &code);
      gzclose(gz);
      fail(file, "cannot decompress: " + message);
    }
    if (got == 0) break;
    data.insert(data.end(), chunk, chunk + got);
  }
  // A gzip stream cut short reads as a clean end of file followed by Z_BUF_ERROR.
  int code = 0;
  const std::string message = gzerror(gz, &code);
  gzclose(gz);
  if (code != Z_OK && code != Z_STREAM_END)
    fail(file, "corrupt or truncated gzip data (" + message + ")");
  return data;
}

std::uint32_t bigEndian32(const std::vector<std::uint8_t>& d, std::size_t at) {
  return (std::uint32_t{d[at]} << 24) | (std::uint32_t{d[at + 1]} << 16) |
         (std::uint32_t{d[at + 2]} << 8) | std::uint32_t{d[at + 3]};
}

void expectSize(const fs::path& file, const std::vector<std::uint8_t>& data, std::size_t expected,
                const std::string& what) {
  if (data.size() < expected)
    fail(file, "truncated: expected " + std::to_string(expected) + " bytes (" + what + "), got " +
                   std::to_string(data.size()));
}

}  // namespace

std::size_t DigitSet::size() const {
  std::size_t n = 0;
  for (const auto& digits : byClass) n += digits.size();
  return n;
}

DigitSet loadMnistJson(const fs::path& folder) {
  if (!fs::is_directory(folder))
    throw std::runtime_error(folder.string() +
                             ": digits folder not found (expected 0.json .. 9.json; run "
                             "datasets/fetch_mnist.sh or pass the folder holding them)");
  DigitSet set;
  for (int d = 0; d < kDigitClasses; ++d) {
    const fs::path file = folder / (std::to_string(d) + ".json");
    if (!fs::is_regular_file(file))
      throw std::runtime_error(folder.string() + ": missing " + file.filename().string() +
                               " (expected 0.json .. 9.json)");
    set.byClass[d] = parseDigitJson(file);
  }
  return set;
}

DigitSet loadMnistIdx(const fs::path& imagesPath, const fs::path& labelsPath) {
  const std::vector<std::uint8_t> images = readMaybeGzipped(imagesPath);
  const std::vector<std::uint8_t> labels = readMaybeGzipped(labelsPath);

  expectSize(imagesPath, images, 4, "IDX magic number");
  if (const auto magic = bigEndian32(images, 0); magic != 2051)
    fail(imagesPath,
         "wrong magic number " + std::to_string(magic) + " (expected 2051 for an IDX image file)");
  expectSize(imagesPath, images, 16, "IDX image header");
  const std::uint32_t count = bigEndian32(images, 4);
  const std::uint32_t rows = bigEndian32(images, 8);
  const std::uint32_t cols = bigEndian32(images, 12);
  if (rows != kDigitSide || cols != kDigitSide)
    fail(imagesPath,
         "images are " + std::to_string(rows) + "x" + std::to_string(cols) + ", expected 28x28");
  expectSize(imagesPath, images, 16 + std::size_t{count} * kPixels,
             "header says " + std::to_string(count) + " images of 28x28");

  expectSize(labelsPath, labels, 4, "IDX magic number");
  if (const auto magic = bigEndian32(labels, 0); magic != 2049)
    fail(labelsPath,
         "wrong magic number " + std::to_string(magic) + " (expected 2049 for an IDX label file)");
  expectSize(labelsPath, labels, 8, "IDX label header");
  const std::uint32_t labelCount = bigEndian32(labels, 4);
  if (labelCount != count)
    fail(labelsPath, "has " + std::to_string(labelCount) + " labels but " + imagesPath.string() +
                         " has " + std::to_string(count) + " images");
  expectSize(labelsPath, labels, 8 + std::size_t{count},
             "header says " + std::to_string(count) + " labels");

  DigitSet set;
  for (std::uint32_t i = 0; i < count; ++i) {
    const int label = labels[8 + i];
    if (label >= kDigitClasses)
      fail(labelsPath, "label " + std::to_string(label) + " of item " + std::to_string(i) +
                           " (byte " + std::to_string(8 + i) + ") is not a digit 0..9");
    cv::Mat digit(kDigitSide, kDigitSide, CV_8UC1);
    std::memcpy(digit.data, images.data() + 16 + std::size_t{i} * kPixels, kPixels);
    set.byClass[label].push_back(digit);
  }
  return set;
}

std::size_t trainPoolSize(std::size_t n) {
  // floor(0.8 n) in integers, so no rounding of 0.8 can move a digit across pools.
  return n * 4 / 5;
}

DigitPools splitPools(const DigitSet& digits) {
  DigitPools pools;
  for (int d = 0; d < kDigitClasses; ++d) {
    const auto& all = digits.byClass[d];
    const auto cut = all.begin() + static_cast<std::ptrdiff_t>(trainPoolSize(all.size()));
    pools.train.byClass[d].assign(all.begin(), cut);
    pools.test.byClass[d].assign(cut, all.end());
  }
  return pools;
}

void writeMnistIdxGz(const DigitSet& digits, const fs::path& imagesPath,
                     const fs::path& labelsPath) {
  const auto count = static_cast<std::uint32_t>(digits.size());
  std::vector<std::uint8_t> images, labels;
  auto header = [](std::vector<std::uint8_t>& out, std::initializer_list<std::uint32_t> words) {
    for (const std::uint32_t w : words)
      for (int shift = 24; shift >= 0; shift -= 8) out.push_back((w >> shift) & 0xff);
  };
  header(images, {2051, count, kDigitSide, kDigitSide});
  header(labels, {2049, count});
  for (int d = 0; d < kDigitClasses; ++d) {
    for (const cv::Mat& digit : digits.byClass[d]) {
      if (digit.rows != kDigitSide || digit.cols != kDigitSide || digit.type() != CV_8UC1)
        throw std::invalid_argument("writeMnistIdxGz: a digit of class " + std::to_string(d) +
                                    " is not a 28x28 CV_8UC1 image");
      const cv::Mat whole = digit.isContinuous() ? digit : digit.clone();
      images.insert(images.end(), whole.data, whole.data + kPixels);
      labels.push_back(static_cast<std::uint8_t>(d));
    }
  }
  auto compress = [](const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    // gzip framing (windowBits 15 + 16) so gunzip, Python's gzip and loadMnistIdx all read it.
    z_stream z{};
    if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
      fail(path, "cannot start gzip compression");
    std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 32);
    z.next_in = const_cast<Bytef*>(bytes.data());
    z.avail_in = static_cast<uInt>(bytes.size());
    z.next_out = out.data();
    z.avail_out = static_cast<uInt>(out.size());
    const int result = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (result != Z_STREAM_END) fail(path, "gzip compression failed");
    writeFileAtomically(path, [&](std::ostream& stream) {
      stream.write(reinterpret_cast<const char*>(out.data()),
                   static_cast<std::streamsize>(out.size()));
    });
  };
  compress(imagesPath, images);
  compress(labelsPath, labels);
}

bool isMnistJsonFolder(const fs::path& folder) {
  std::error_code ec;
  for (int d = 0; d < kDigitClasses; ++d)
    if (!fs::is_regular_file(folder / (std::to_string(d) + ".json"), ec)) return false;
  return true;
}

bool isDigitsFolder(const fs::path& folder) {
  std::error_code ec;
  return isMnistJsonFolder(folder) || (fs::is_regular_file(folder / kPackedDigitImages, ec) &&
                                       fs::is_regular_file(folder / kPackedDigitLabels, ec));
}

DigitSet loadDigitsFolder(const fs::path& folder) {
  if (isMnistJsonFolder(folder)) return loadMnistJson(folder);
  if (isDigitsFolder(folder))
    return loadMnistIdx(folder / kPackedDigitImages, folder / kPackedDigitLabels);
  if (!fs::is_directory(folder)) return loadMnistJson(folder);  // its "not found" message
  throw std::runtime_error(folder.string() + ": no digits (expected 0.json .. 9.json, or " +
                           kPackedDigitImages + " and " + kPackedDigitLabels + ")");
}

std::optional<fs::path> findDefaultDigits() {
  const fs::path relative = fs::path("datasets") / "mnist" / "digits";
  std::vector<fs::path> candidates;
  if (const char* dir = std::getenv("YOLO_DIGITS_DIR"); dir != nullptr && *dir != '\0')
    candidates.emplace_back(dir);
  if (const char* src = std::getenv("YOLO_SOURCE_DIR"); src != nullptr && *src != '\0')
    candidates.push_back(fs::path(src) / relative);

  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      candidates.push_back(dir / relative);
      if (dir == dir.root_path()) break;
    }
    candidates.push_back(exe.parent_path().parent_path() / "share" / "yolo-workbench" / "mnist" /
                         "digits");
  }
  // core/data/digit_source.cpp -> the source tree's root.
  const fs::path source = fs::path(__FILE__);
  if (source.is_absolute())
    candidates.push_back(source.parent_path().parent_path().parent_path() / relative);

  for (const auto& candidate : candidates)
    if (isDigitsFolder(candidate)) return candidate.lexically_normal();
  return std::nullopt;
}

}  // namespace yolo::data
