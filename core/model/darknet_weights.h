#pragma once
// Reading Darknet .weights files, torch-free: the header, the class count the file was
// written for, and every conv's floats, checked against the model's conv shapes before
// anything is handed over. core/model/darknet_io.h copies the result into a network; the
// fuzz target `darknet_weights` reads arbitrary files through the same code.
//
// Layout: int32 major, minor, revision; `seen` (64-bit or 32-bit, see seenIs64Bit); then per
// conv in file order: BN beta, gamma, running mean, running var (or the conv bias when there
// is no BN), then the weights [out, in, k, k]; float32 little-endian.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace yolo::model {

/// Darknet writes float32 and int32 as they lie in a little-endian host's memory, and so do
/// we: false on a host where they lie otherwise (the files cannot be read or written there).
bool hostIsLittleEndian();

/// The header of a .weights file. `seen` is 64-bit when (major*10 + minor) >= 2 and major and
/// minor are both below 1000 (Darknet's rule in parser.c), 32-bit otherwise.
struct DarknetWeightsHeader {
  int32_t major = 0;
  int32_t minor = 2;
  int32_t revision = 0;
  uint64_t seen = 0;  ///< images seen in training
  /// Bytes the header takes on disk: 20 with a 64-bit `seen`, 16 with a 32-bit one.
  std::size_t bytes() const;
  bool seenIs64Bit() const;
};

/// One conv as the model has it. An output conv (no BN, linear) has 3 * (5 + classes)
/// filters: the only shape that depends on the class count.
struct DarknetConvShape {
  int64_t out = 0, in = 0, k = 0, stride = 1;
  bool bn = false, leaky = false;
  bool isOutput() const { return !bn && !leaky; }
  /// Floats the file stores for it.
  int64_t floats() const { return (bn ? 4 : 1) * out + out * in * k * k; }
  /// "conv 12: 3x3/1 256->512 bn leaky"
  std::string describe(int index) const;
};

/// The convs of `architecture` with `numClasses` classes in file order, from the Darknet
/// layer list (as the network's convsInDarknetOrder() builds them).
std::vector<DarknetConvShape> darknetConvShapes(const std::string& architecture, int numClasses);

/// What happened to one conv of the model during a load.
struct DarknetLayerLoad {
  int index = 0;            ///< 0-based position in file order
  std::string description;  ///< e.g. "conv 12: 3x3/1 256->512 bn leaky"
  bool loaded = false;
  std::string reason;  ///< why it was skipped (empty when loaded)
};

/// The header and, per conv of the model, loaded or skipped.
struct DarknetLoadReport {
  std::filesystem::path file;
  DarknetWeightsHeader header;
  int fileNumClasses = 0;  ///< class count the file's output convs were trained for
  std::vector<DarknetLayerLoad> layers;

  int loadedCount() const;
  int skippedCount() const;
  /// Several lines: the file, its header, counts, and one line per skipped layer.
  std::string summary() const;
};

struct DarknetLoadOptions {
  /// false (strict): any difference between file and model is an error. true (transfer
  /// learning): convs whose shape differs from the file's (the output convs, when the class
  /// count differs) are skipped and listed as such in the report.
  bool skipMismatchedLayers = false;
  /// Class count the file was trained for; 0 = infer it from the file size (the only part of
  /// the file whose size depends on it is the output convs).
  int fileNumClasses = 0;
};

/// A whole file read: the report, and per conv the floats in file order (empty for a
/// skipped conv).
struct DarknetWeightsRead {
  DarknetLoadReport report;
  std::vector<std::vector<float>> floats;
};

/// Reads `weights` for a model of `convs` (file order) and `modelClasses` classes, named
/// `architecture` in messages. Throws std::runtime_error naming the file, the layer / byte
/// offset, what was expected and what was found: a short header, a truncated file, trailing
/// bytes, weights of another architecture (named when the size fits one), another class
/// count (unless options.skipMismatchedLayers), a big-endian host.
DarknetWeightsRead readDarknetWeights(const std::filesystem::path& weights,
                                      const std::vector<DarknetConvShape>& convs,
                                      const std::string& architecture, int modelClasses,
                                      const DarknetLoadOptions& options = {});

}  // namespace yolo::model
