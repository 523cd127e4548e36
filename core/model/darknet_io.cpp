#include <torch/torch.h>

#include "core/model/darknet_io.h"

#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/model/darknet_layers.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"

namespace yolo::model {
namespace fs = std::filesystem;

namespace {

// Darknet writes the host's float32 and int32 as they are in memory: little-endian on every
// machine it runs on. We read and write raw bytes too, so refuse a big-endian host.
bool hostIsLittleEndian() {
  const uint32_t one = 1;
  unsigned char first = 0;
  std::memcpy(&first, &one, 1);
  return first == 1;
}

/// Shape of one conv as the file stores it.
struct ConvShape {
  int64_t out = 0, in = 0, k = 0;
  bool bn = false;
  int64_t floats() const { return (bn ? 4 : 1) * out + out * in * k * k; }
};

ConvShape shapeOf(const ConvBlock& c) {
  return {c->options.out_channels(), c->options.in_channels(), c->options.kernel_size(),
          c->options.batch_norm()};
}

std::string describe(int index, const ConvBlock& c) {
  const auto& o = c->options;
  std::ostringstream s;
  s << "conv " << index << ": " << o.kernel_size() << "x" << o.kernel_size() << "/" << o.stride()
    << " " << o.in_channels() << "->" << o.out_channels() << (o.batch_norm() ? " bn" : " bias")
    << (o.leaky() ? " leaky" : " linear");
  return s.str();
}

/// A conv is an output conv when its filters follow the class count: no BN, linear.
bool isOutputConv(const ConvBlock& c) { return !c->options.batch_norm() && !c->options.leaky(); }

/// The shapes a file for `convs` with `fileClasses` classes stores.
std::vector<ConvShape> fileShapes(const std::vector<ConvBlock>& convs, int fileClasses) {
  std::vector<ConvShape> shapes;
  for (const auto& c : convs) {
    ConvShape s = shapeOf(c);
    if (isOutputConv(c)) s.out = kAnchorsPerScale * (5 + fileClasses);
    shapes.push_back(s);
  }
  return shapes;
}

int64_t totalFloats(const std::vector<ConvShape>& shapes) {
  int64_t n = 0;
  for (const auto& s : shapes) n += s.floats();
  return n;
}

/// The class count for which `convs` store exactly `floats` floats; 0 when none does.
int inferClasses(const std::vector<ConvBlock>& convs, int64_t floats) {
  int64_t fixed = 0, perFilter = 0;
  for (const auto& c : convs) {
    if (isOutputConv(c))
      perFilter +=
          c->options.in_channels() * c->options.kernel_size() * c->options.kernel_size() + 1;
    else
      fixed += shapeOf(c).floats();
  }
  const int64_t rest = floats - fixed;
  if (perFilter == 0 || rest <= 0 || rest % perFilter != 0) return 0;
  const int64_t filters = rest / perFilter;
  if (filters % kAnchorsPerScale != 0 || filters / kAnchorsPerScale - 5 < 1) return 0;
  return static_cast<int>(filters / kAnchorsPerScale - 5);
}

/// "yolov3 with 80 classes" when a file of `floats` floats fits another architecture.
std::string guessOtherModel(const std::string& ours, int64_t floats) {
  for (const std::string& arch : architectureNames()) {
    if (arch == ours) continue;
    ModelSpec spec = makeModelSpec(arch, 1, 64);
    spec.init = "kaiming";
    const auto other = createModel(spec);
    if (const int c = inferClasses(other->convsInDarknetOrder(), floats); c > 0)
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

/// One conv's tensors as read from the file (CPU, float32).
struct ConvTensors {
  torch::Tensor bias, gamma, mean, var, weight;
};

torch::Tensor readFloats(std::istream& in, int64_t count) {
  torch::Tensor t = torch::empty({count}, torch::kFloat32);
  in.read(reinterpret_cast<char*>(t.data_ptr<float>()),
          static_cast<std::streamsize>(count * sizeof(float)));
  return t;
}

void writeTensor(std::ostream& out, const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  out.write(reinterpret_cast<const char*>(c.data_ptr<float>()),
            static_cast<std::streamsize>(c.numel() * sizeof(float)));
}

}  // namespace

std::string darknetCfgText(const YoloNetImpl& net) { return darknetCfgText(net.spec()); }

std::size_t DarknetWeightsHeader::bytes() const { return seenIs64Bit() ? 20 : 16; }

bool DarknetWeightsHeader::seenIs64Bit() const {
  return major * 10 + minor >= 2 && major < 1000 && minor < 1000;
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

DarknetLoadReport loadDarknetWeights(YoloNetImpl& net, const fs::path& weights,
                                     const DarknetLoadOptions& options) {
  if (!hostIsLittleEndian())
    throw std::runtime_error("Darknet weights are little-endian; this host is not");
  const std::string file = weights.string();
  std::error_code ec;
  const uint64_t fileSize = fs::file_size(weights, ec);
  if (ec) throw std::runtime_error(file + ": cannot read: " + ec.message());
  std::ifstream in(weights, std::ios::binary);
  if (!in) throw std::runtime_error(file + ": cannot open for reading");

  DarknetLoadReport report;
  report.file = weights;
  report.header = readHeader(in, file, fileSize);
  const uint64_t headerBytes = report.header.bytes();
  const std::vector<ConvBlock> convs = net.convsInDarknetOrder();
  const int modelClasses = net.spec().numClasses;
  const int64_t payloadFloats = static_cast<int64_t>((fileSize - headerBytes) / sizeof(float));
  const bool wholeFloats = (fileSize - headerBytes) % sizeof(float) == 0;

  // The class count decides the size of the output convs; everything else is fixed.
  int fileClasses = options.fileNumClasses;
  const int inferred = wholeFloats ? inferClasses(convs, payloadFloats) : 0;
  if (fileClasses == 0) fileClasses = inferred > 0 ? inferred : modelClasses;
  report.fileNumClasses = fileClasses;
  if (fileClasses != modelClasses && !options.skipMismatchedLayers)
    throw std::runtime_error(
        file + ": wrong class count: the file holds " + net.spec().architecture + " weights for " +
        std::to_string(fileClasses) + " classes (output convs of " +
        std::to_string(kAnchorsPerScale * (5 + fileClasses)) + " filters), the model has " +
        std::to_string(modelClasses) + " classes (" + std::to_string(net.outputChannels()) +
        " filters); load for transfer learning to skip the output convs");

  const std::vector<ConvShape> shapes = fileShapes(convs, fileClasses);
  const int64_t expectedBytes =
      static_cast<int64_t>(headerBytes) + totalFloats(shapes) * static_cast<int64_t>(sizeof(float));
  const std::string sizeNote =
      " (" + net.spec().architecture + " with " + std::to_string(fileClasses) + " classes takes " +
      std::to_string(expectedBytes) + " bytes, the file has " + std::to_string(fileSize) + ")";

  std::vector<ConvTensors> loaded(convs.size());
  uint64_t offset = headerBytes;
  for (std::size_t i = 0; i < convs.size(); ++i) {
    const ConvShape& fs = shapes[i];
    const ConvShape ours = shapeOf(convs[i]);
    DarknetLayerLoad layer;
    layer.index = static_cast<int>(i);
    layer.description = describe(static_cast<int>(i), convs[i]);
    const uint64_t bytes = static_cast<uint64_t>(fs.floats()) * sizeof(float);
    if (offset + bytes > fileSize)
      throw std::runtime_error(file + ": truncated at " + layer.description + " (offset " +
                               std::to_string(offset) + "): expected " + std::to_string(bytes) +
                               " more bytes, found " + std::to_string(fileSize - offset) +
                               sizeNote + guessOtherModel(net.spec().architecture, payloadFloats));
    if (fs.out != ours.out) {
      layer.loaded = false;
      layer.reason = "the file has " + std::to_string(fs.out) + " filters (" +
                     std::to_string(fileClasses) + " classes), the model " +
                     std::to_string(ours.out) + " (" + std::to_string(modelClasses) + " classes)";
      in.seekg(static_cast<std::streamoff>(bytes), std::ios::cur);
    } else {
      ConvTensors& t = loaded[i];
      t.bias = readFloats(in, fs.out);
      if (fs.bn) {
        t.gamma = readFloats(in, fs.out);
        t.mean = readFloats(in, fs.out);
        t.var = readFloats(in, fs.out);
      }
      t.weight = readFloats(in, fs.out * fs.in * fs.k * fs.k).view({fs.out, fs.in, fs.k, fs.k});
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
                             guessOtherModel(net.spec().architecture, payloadFloats));

  // Everything read: now, and only now, change the model.
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < convs.size(); ++i) {
    if (!report.layers[i].loaded) continue;
    const ConvTensors& t = loaded[i];
    const ConvBlock& c = convs[i];
    c->conv->weight.copy_(t.weight);
    if (c->bn) {
      c->bn->bias.copy_(t.bias);
      c->bn->weight.copy_(t.gamma);
      c->bn->running_mean.copy_(t.mean);
      c->bn->running_var.copy_(t.var);
    } else {
      c->conv->bias.copy_(t.bias);
    }
  }
  return report;
}

void saveDarknetWeights(YoloNetImpl& net, const fs::path& weights,
                        const DarknetWeightsHeader& header) {
  if (!hostIsLittleEndian())
    throw std::runtime_error("Darknet weights are little-endian; this host is not");
  const std::vector<ConvBlock> convs = net.convsInDarknetOrder();
  writeFileAtomically(weights, [&](std::ostream& out) {
    const int32_t v[3] = {header.major, header.minor, header.revision};
    out.write(reinterpret_cast<const char*>(v), sizeof(v));
    if (header.seenIs64Bit()) {
      const uint64_t seen = header.seen;
      out.write(reinterpret_cast<const char*>(&seen), sizeof(seen));
    } else {
      const uint32_t seen = static_cast<uint32_t>(header.seen);
      out.write(reinterpret_cast<const char*>(&seen), sizeof(seen));
    }
    for (const ConvBlock& c : convs) {
      if (c->bn) {
        writeTensor(out, c->bn->bias);
        writeTensor(out, c->bn->weight);
        writeTensor(out, c->bn->running_mean);
        writeTensor(out, c->bn->running_var);
      } else {
        writeTensor(out, c->conv->bias);
      }
      writeTensor(out, c->conv->weight);
    }
  });
}

void saveDarknet(YoloNetImpl& net, const std::vector<std::string>& classNames, const fs::path& dir,
                 const std::string& name) {
  if (static_cast<int>(classNames.size()) != net.spec().numClasses)
    throw std::invalid_argument("saveDarknet: " + std::to_string(classNames.size()) +
                                " class names for a model of " +
                                std::to_string(net.spec().numClasses) + " classes");
  if (name.empty() || name.find('/') != std::string::npos)
    throw std::invalid_argument("saveDarknet: bad file name \"" + name + "\"");
  fs::create_directories(dir);
  // The weights first: the one write a full disk is likely to stop leaves the folder as it
  // was, not a new .cfg beside old or missing weights.
  saveDarknetWeights(net, dir / (name + ".weights"));
  writeClassNames(dir / (name + ".names"), classNames);
  writeTextAtomically(dir / (name + ".cfg"), darknetCfgText(net));
}

std::shared_ptr<YoloNetImpl> loadDarknet(const fs::path& cfg, const fs::path& weights,
                                         DarknetLoadReport* report) {
  const DarknetCfg parsed = readDarknetCfg(cfg);
  auto net = createModel(parsed.spec);
  DarknetLoadReport r = loadDarknetWeights(*net, weights);
  if (report) *report = std::move(r);
  return net;
}

}  // namespace yolo::model
