#include "core/model/darknet_weights.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/model/darknet_layers.h"
#include "core/model/model_spec.h"

namespace yolo::model {
namespace fs = std::filesystem;

bool hostIsLittleEndian() {
  const uint32_t one = 1;
  unsigned char first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

namespace {

/// The shapes a file for `convs` with `fileClasses` classes stores.
std::vector<DarknetConvShape> fileShapes(const std::vector<DarknetConvShape>& convs,
                                         int fileClasses) {
  std::vector<DarknetConvShape> shapes = convs;
  for (auto& s : shapes)
    if (s.isOutput()) s.out = kAnchorsPerScale * (5 + static_cast<int64_t>(fileClasses));
  return shapes;
}

int64_t totalFloats(const std::vector<DarknetConvShape>& shapes) {
  int64_t n = 0;
  for (const auto& s : shapes) n += s.floats();
  return n;
}

/// The class count for which `convs` store exactly `floats` floats; 0 when none does.
int inferClasses(const std::vector<DarknetConvShape>& convs, int64_t floats) {
  int64_t fixed = 0, perFilter = 0;
  for (const auto& c : convs) {
    if (c.isOutput())
      perFilter += c.in * c.k * c.k + 1;
    else
      fixed += c.floats();
  }
  const int64_t rest = floats - fixed;
  if (perFilter == 0 || rest <= 0 || rest % perFilter != 0) return 0;
  const int64_t filters = rest / perFilter;
  if (filters % kAnchorsPerScale != 0 || filters / kAnchorsPerScale - 5 < 1) return 0;
  const int64_t classes = filters / kAnchorsPerScale - 5;
  return classes > 1'000'000 ? 0 : static_cast<int>(classes);
}

/// " (its size fits yolov3 weights for 80 classes)" when a file of `floats` floats fits
/// another architecture.
std::string guessOtherModel(const std::string& ours, int64_t floats) {
  for (const std::string& arch : architectureNames()) {
    if (arch == ours) continue;
    if (const int c = inferClasses(darknetConvShapes(arch, 1), floats); c > 0)
      return " (its size fits " + arch + " weights for " + std::to_string(c) + " classes)";
  }
  return {};
}

DarknetWeightsHeader readHeader(std::istream& in, const std::string& file, uint64_t fileSize) {
  DarknetWeightsHeader h;
  int32_t v[3];
  if (fileSize < sizeof(v) || !in.read(reinterpret_cast<char*>(v), sizeof(v)))
    throw std::runtime_error(file + ": " + std::to_string(fileSize) +
                             " bytes, too short for a Darknet weights header (12 bytes of "
                             "version, then 4 or 8 of 'seen')");
  h.major = v[0];
  h.minor = v[1];
  h.revision = v[2];
  if (h.seenIs64Bit()) {
    uint64_t seen = 0;
    if (!in.read(reinterpret_cast<char*>(&seen), sizeof(seen)))
      throw std::runtime_error(file + ": header version " + std::to_string(h.major) + "." +
                               std::to_string(h.minor) +
                               " needs a 64-bit 'seen' at offset 12, "
                               "the file ends first");
    h.seen = seen;
  } else {
    uint32_t seen = 0;
    if (!in.read(reinterpret_cast<char*>(&seen), sizeof(seen)))
      throw std::runtime_error(file + ": the file ends inside the 32-bit 'seen' at offset 12");
    h.seen = seen;
  }
  return h;
}

}  // namespace

std::size_t DarknetWeightsHeader::bytes() const { return seenIs64Bit() ? 20 : 16; }

bool DarknetWeightsHeader::seenIs64Bit() const {
  // In 64 bits: Darknet's int sum overflows for versions no file has, and that is no reason
  // for undefined behaviour here.
  return int64_t{major} * 10 + minor >= 2 && major < 1000 && minor < 1000;
}

std::string DarknetConvShape::describe(int index) const {
  std::ostringstream s;
  s << "conv " << index << ": " << k << "x" << k << "/" << stride << " " << in << "->" << out
    << (bn ? " bn" : " bias") << (leaky ? " leaky" : " linear");
  return s.str();
}

std::vector<DarknetConvShape> darknetConvShapes(const std::string& architecture, int numClasses) {
  const std::vector<DarknetLayer> layers =
      darknetLayers(architecture, kAnchorsPerScale * (5 + numClasses));
  const std::vector<DarknetLayerOutput> outputs = darknetLayerOutputs(layers);
  std::vector<DarknetConvShape> convs;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const DarknetLayer& l = layers[i];
    if (l.type != "convolutional") continue;
    DarknetConvShape shape;
    shape.out = l.filters;
    shape.in = outputs[i].inChannels;
    shape.k = l.size;
    shape.stride = l.stride;
    shape.bn = l.bn;
    shape.leaky = l.activation == "leaky";
    convs.push_back(shape);
  }
  return convs;
}

int DarknetLoadReport::loadedCount() const {
  int n = 0;
  for (const auto& l : layers) n += l.loaded;
  return n;
}

int DarknetLoadReport::skippedCount() const {
  return static_cast<int>(layers.size()) - loadedCount();
}

std::string DarknetLoadReport::summary() const {
  std::ostringstream s;
  s << "Darknet weights " << file.string() << " (version " << header.major << "." << header.minor
    << "." << header.revision << ", seen " << header.seen << ", " << fileNumClasses
    << " classes): loaded " << loadedCount() << " of " << layers.size() << " convs";
  if (skippedCount() > 0) s << ", skipped " << skippedCount() << " (kept their initialisation)";
  for (const auto& l : layers)
    if (!l.loaded) s << "\n  skipped " << l.description << ": " << l.reason;
  return s.str();
}

DarknetWeightsRead readDarknetWeights(const fs::path& weights,
                                      const std::vector<DarknetConvShape>& convs,
                                      const std::string& architecture, int modelClasses,
                                      const DarknetLoadOptions& options) {
  if (!hostIsLittleEndian())
    throw std::runtime_error("Darknet weights are little-endian; this host is not");
  const std::string file = weights.string();
  std::error_code ec;
  const uint64_t fileSize = fs::file_size(weights, ec);
  if (ec) throw std::runtime_error(file + ": cannot read: " + ec.message());
  std::ifstream in(weights, std::ios::binary);
  if (!in) throw std::runtime_error(file + ": cannot open for reading");

  DarknetWeightsRead read;
  DarknetLoadReport& report = read.report;
  report.file = weights;
  report.header = readHeader(in, file, fileSize);
  const uint64_t headerBytes = report.header.bytes();
  const int64_t payloadFloats = static_cast<int64_t>((fileSize - headerBytes) / sizeof(float));
  const bool wholeFloats = (fileSize - headerBytes) % sizeof(float) == 0;
  int outputFilters = 0;
  for (const auto& c : convs)
    if (c.isOutput()) outputFilters = static_cast<int>(c.out);

  // The class count decides the size of the output convs; everything else is fixed.
  int fileClasses = options.fileNumClasses;
  const int inferred = wholeFloats ? inferClasses(convs, payloadFloats) : 0;
  if (fileClasses == 0) fileClasses = inferred > 0 ? inferred : modelClasses;
  report.fileNumClasses = fileClasses;
  if (fileClasses != modelClasses && !options.skipMismatchedLayers)
    throw std::runtime_error(file + ": wrong class count: the file holds " + architecture +
                             " weights for " + std::to_string(fileClasses) +
                             " classes (output convs of " +
                             std::to_string(kAnchorsPerScale * (5 + int64_t{fileClasses})) +
                             " filters), the model has " + std::to_string(modelClasses) +
                             " classes (" + std::to_string(outputFilters) +
                             " filters); load for transfer learning to skip the "
                             "output convs");

  const std::vector<DarknetConvShape> shapes = fileShapes(convs, fileClasses);
  const int64_t expectedBytes =
      static_cast<int64_t>(headerBytes) + totalFloats(shapes) * static_cast<int64_t>(sizeof(float));
  const std::string sizeNote = " (" + architecture + " with " + std::to_string(fileClasses) +
                               " classes takes " + std::to_string(expectedBytes) +
                               " bytes, the file has " + std::to_string(fileSize) + ")";

  read.floats.resize(convs.size());
  uint64_t offset = headerBytes;
  for (std::size_t i = 0; i < convs.size(); ++i) {
    const DarknetConvShape& stored = shapes[i];
    DarknetLayerLoad layer;
    layer.index = static_cast<int>(i);
    layer.description = convs[i].describe(static_cast<int>(i));
    const uint64_t bytes = static_cast<uint64_t>(stored.floats()) * sizeof(float);
    if (offset + bytes > fileSize)
      throw std::runtime_error(file + ": truncated at " + layer.description + " (offset " +
                               std::to_string(offset) + "): expected " + std::to_string(bytes) +
                               " more bytes, found " + std::to_string(fileSize - offset) +
                               sizeNote + guessOtherModel(architecture, payloadFloats));
    if (stored.out != convs[i].out) {
      layer.loaded = false;
      layer.reason = "the file has " + std::to_string(stored.out) + " filters (" +
                     std::to_string(fileClasses) + " classes), the model " +
                     std::to_string(convs[i].out) + " (" + std::to_string(modelClasses) +
                     " classes)";
      in.seekg(static_cast<std::streamoff>(bytes), std::ios::cur);
    } else {
      std::vector<float>& floats = read.floats[i];
      floats.resize(static_cast<std::size_t>(stored.floats()));
      in.read(reinterpret_cast<char*>(floats.data()), static_cast<std::streamsize>(bytes));
      layer.loaded = true;
    }
    if (!in)
      throw std::runtime_error(file + ": read error at " + layer.description + " (offset " +
                               std::to_string(offset) + ")");
    offset += bytes;
    report.layers.push_back(layer);
  }
  if (offset != fileSize)
    throw std::runtime_error(file + ": " + std::to_string(fileSize - offset) +
                             " extra bytes after the last conv (offset " + std::to_string(offset) +
                             "): expected the file to end there" + sizeNote +
                             guessOtherModel(architecture, payloadFloats));
  return read;
}

}  // namespace yolo::model
