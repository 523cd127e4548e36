#include <torch/torch.h>

#include "core/model/darknet_io.h"

#include <stdexcept>

#include "core/util/atomic_file.h"
#include "core/util/class_names.h"

namespace yolo::model {
namespace fs = std::filesystem;

namespace {

DarknetConvShape shapeOf(const ConvBlock& c) {
  const auto& o = c->options;
  DarknetConvShape s;
  s.out = o.out_channels();
  s.in = o.in_channels();
  s.k = o.kernel_size();
  s.stride = o.stride();
  s.bn = o.batch_norm();
  s.leaky = o.leaky();
  return s;
}

void writeTensor(std::ostream& out, const torch::Tensor& t) {
  const torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  out.write(reinterpret_cast<const char*>(c.data_ptr<float>()),
            static_cast<std::streamsize>(c.numel() * sizeof(float)));
}

}  // namespace

std::string darknetCfgText(const YoloNetImpl& net) { return darknetCfgText(net.spec()); }

DarknetLoadReport loadDarknetWeights(YoloNetImpl& net, const fs::path& weights,
                                     const DarknetLoadOptions& options) {
  const std::vector<ConvBlock> convs = net.convsInDarknetOrder();
  std::vector<DarknetConvShape> shapes;
  for (const ConvBlock& c : convs) shapes.push_back(shapeOf(c));
  DarknetWeightsRead read =
      readDarknetWeights(weights, shapes, net.spec().architecture, net.spec().numClasses, options);

  // Everything read and checked: now, and only now, change the model.
  torch::NoGradGuard noGrad;
  for (std::size_t i = 0; i < convs.size(); ++i) {
    if (!read.report.layers[i].loaded) continue;
    std::vector<float>& floats = read.floats[i];
    const torch::Tensor all =
        torch::from_blob(floats.data(), {static_cast<int64_t>(floats.size())}, torch::kFloat32);
    int64_t at = 0;
    const auto next = [&](int64_t count) {
      const torch::Tensor part = all.narrow(0, at, count);
      at += count;
      return part;
    };
    const DarknetConvShape& s = shapes[i];
    const ConvBlock& c = convs[i];
    const torch::Tensor bias = next(s.out);
    if (c->bn) {
      c->bn->bias.copy_(bias);
      c->bn->weight.copy_(next(s.out));
      c->bn->running_mean.copy_(next(s.out));
      c->bn->running_var.copy_(next(s.out));
    } else {
      c->conv->bias.copy_(bias);
    }
    c->conv->weight.copy_(next(s.out * s.in * s.k * s.k).view({s.out, s.in, s.k, s.k}));
  }
  return std::move(read.report);
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
