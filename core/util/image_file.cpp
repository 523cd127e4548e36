#include "core/util/image_file.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/imgcodecs.hpp>

namespace yolo {
namespace fs = std::filesystem;

namespace {

std::uint32_t be16(const unsigned char* p) { return (std::uint32_t{p[0]} << 8) | p[1]; }
std::uint32_t be32(const unsigned char* p) { return (be16(p) << 16) | be16(p + 2); }
std::int32_t le32(const unsigned char* p) {
  return static_cast<std::int32_t>(std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) |
                                   (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[3]} << 24));
}

/// The EXIF Orientation tag (1..8) of an APP1 segment's payload ("Exif\0\0" + TIFF); 1
/// (as stored) when there is none or the payload is malformed.
int exifOrientation(const std::vector<unsigned char>& app1) {
  static const unsigned char kExif[6] = {'E', 'x', 'i', 'f', 0, 0};
  if (app1.size() < 6 + 8 || !std::equal(kExif, kExif + 6, app1.begin())) return 1;
  const unsigned char* tiff = app1.data() + 6;
  const std::size_t size = app1.size() - 6;
  const bool little = tiff[0] == 'I' && tiff[1] == 'I';
  if (!little && !(tiff[0] == 'M' && tiff[1] == 'M')) return 1;
  auto u16 = [&](std::size_t at) -> std::uint32_t {
    return little ? tiff[at] | (tiff[at + 1] << 8) : (tiff[at] << 8) | tiff[at + 1];
  };
  auto u32 = [&](std::size_t at) -> std::uint32_t {
    return little ? u16(at) | (u16(at + 2) << 16) : (u16(at) << 16) | u16(at + 2);
  };
  const std::uint32_t ifd = u32(4);
  if (ifd + 2 > size) return 1;
  const std::uint32_t entries = u16(ifd);
  for (std::uint32_t e = 0; e < entries && ifd + 2 + 12 * (e + 1) <= size; ++e) {
    const std::size_t at = ifd + 2 + 12 * e;
    if (u16(at) == 0x0112) {  // Orientation, a SHORT held in the entry itself
      const std::uint32_t value = u16(at + 8);
      return value >= 1 && value <= 8 ? static_cast<int>(value) : 1;
    }
  }
  return 1;
}

cv::Size jpegSize(std::ifstream& in) {
  // Walk the marker segments up to a start-of-frame, which holds the size. An EXIF
  // orientation of 5..8 (a quarter turn) swaps it: the size as shown, as labelling tools
  // and OpenCV's decoder orient the image.
  unsigned char b[8];
  bool quarterTurn = false;
  in.seekg(2);
  while (in.read(reinterpret_cast<char*>(b), 4)) {
    if (b[0] != 0xFF) return {};
    const unsigned marker = b[1];
    if (marker == 0xFF) {  // fill byte
      in.seekg(-3, std::ios::cur);
      continue;
    }
    const std::uint32_t length = be16(b + 2);
    if (length < 2) return {};
    const bool isSof =
        marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    if (isSof) {
      if (!in.read(reinterpret_cast<char*>(b), 5)) return {};
      const int width = static_cast<int>(be16(b + 3)), height = static_cast<int>(be16(b + 1));
      return quarterTurn ? cv::Size(height, width) : cv::Size(width, height);
    }
    if (marker == 0xE1) {  // APP1: EXIF
      std::vector<unsigned char> app1(length - 2);
      if (!in.read(reinterpret_cast<char*>(app1.data()), static_cast<std::streamsize>(app1.size())))
        return {};
      const int orientation = exifOrientation(app1);
      quarterTurn = orientation >= 5 && orientation <= 8;
      continue;
    }
    in.seekg(length - 2, std::ios::cur);
  }
  return {};
}

}  // namespace

cv::Mat readImage(const std::filesystem::path& path) {
  // Any flags but IMREAD_UNCHANGED (and without IMREAD_IGNORE_ORIENTATION) apply EXIF.
  return cv::imread(path.string(), cv::IMREAD_ANYDEPTH | cv::IMREAD_ANYCOLOR);
}

namespace {

// The size that a PNG, JPEG or BMP header gives (JPEG: as EXIF orients it); empty for other
// formats and for a file that cannot be read.
cv::Size sizeFromHeader(const fs::path& image) {
  std::ifstream in(image, std::ios::binary);
  if (!in) return {};
  unsigned char head[26] = {};
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const auto got = in.gcount();
  in.clear();
  static const unsigned char kPng[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (got >= 24 && std::equal(kPng, kPng + 8, head))
    return cv::Size(static_cast<int>(be32(head + 16)), static_cast<int>(be32(head + 20)));
  if (got >= 4 && head[0] == 0xFF && head[1] == 0xD8) {
    const cv::Size size = jpegSize(in);
    if (!size.empty()) return size;
  }
  if (got >= 26 && head[0] == 'B' && head[1] == 'M') {
    const int w = le32(head + 18);
    const int h = le32(head + 22);
    if (w > 0 && h != 0) return cv::Size(w, std::abs(h));
  }
  return {};
}

}  // namespace

cv::Size readImageSize(const fs::path& image) {
  if (const cv::Size size = sizeFromHeader(image); !size.empty()) return size;
  try {
    const cv::Mat decoded = readImage(image);
    return decoded.empty() ? cv::Size() : decoded.size();
  } catch (const cv::Exception&) {
    return {};  // a corrupt file is "size unknown", never an abort
  }
}

cv::Mat readImageOrThrow(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw std::runtime_error(path.string() + ": no such file");
  if (fs::is_directory(path, ec))
    throw std::runtime_error(path.string() + ": is a folder, not an image");
  // Refused from its header, before the decoder allocates it: OpenCV's own limit, 2^30
  // pixels (about 3 GB as 8-bit colour). The header only: readImageSize() would decode the
  // other formats (WebP, TIFF) twice, and OpenCV's decoder checks its limit for them itself.
  constexpr double kMaxPixels = 1 << 30;
  if (const cv::Size size = sizeFromHeader(path);
      static_cast<double>(size.width) * size.height > kMaxPixels)
    throw std::runtime_error(path.string() + ": the image is " + std::to_string(size.width) +
                             " x " + std::to_string(size.height) +
                             " pixels, more than the 2^30 this program decodes");
  // 16-bit and grey kept, EXIF orientation applied; toBgr8() converts what the network needs.
  cv::Mat image;
  try {
    image = readImage(path);
  } catch (const cv::Exception& e) {
    throw std::runtime_error(path.string() + ": cannot be decoded as an image (" + e.err + ")");
  }
  if (image.empty())
    throw std::runtime_error(path.string() +
                             ": not a readable image (unknown format, truncated or corrupt)");
  return image;
}

}  // namespace yolo
