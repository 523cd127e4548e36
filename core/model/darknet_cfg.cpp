#include "core/model/darknet_cfg.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "core/model/darknet_layers.h"
#include "core/util/atomic_file.h"

namespace yolo::model {

namespace {

std::string describe(const DarknetLayer& l) {
  if (l.type == "convolutional")
    return "[convolutional] filters=" + std::to_string(l.filters) +
           " size=" + std::to_string(l.size) + " stride=" + std::to_string(l.stride) +
           " batch_normalize=" + (l.bn ? "1" : "0") + " activation=" + l.activation;
  if (l.type == "route") return "[route] layers=" + joinInts(l.layers);
  if (l.type == "shortcut") return "[shortcut] from=" + std::to_string(l.from);
  if (l.type == "maxpool")
    return "[maxpool] size=" + std::to_string(l.size) + " stride=" + std::to_string(l.stride);
  if (l.type == "upsample") return "[upsample] stride=" + std::to_string(l.stride);
  return "[" + l.type + "]";
}

// --- parsing -----------------------------------------------------------------------------

struct Section {
  std::string name;
  int line = 0;
  std::map<std::string, std::string> values;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

[[noreturn]] void fail(const std::string& source, int line, const std::string& what) {
  throw std::runtime_error(source + (line > 0 ? ":" + std::to_string(line) : "") + ": " + what);
}

std::vector<Section> splitSections(const std::string& text, const std::string& source) {
  std::vector<Section> sections;
  std::istringstream in(text);
  std::string raw;
  int lineNo = 0;
  while (std::getline(in, raw)) {
    ++lineNo;
    const std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') fail(source, lineNo, "section header \"" + line + "\" has no ']'");
      sections.push_back({trim(line.substr(1, line.size() - 2)), lineNo, {}});
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) fail(source, lineNo, "expected key=value, found \"" + line + "\"");
    if (sections.empty()) fail(source, lineNo, "key=value before the first [section]");
    sections.back().values[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return sections;
}

std::vector<std::string> splitCommas(const std::string& s) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, ',')) {
    part = trim(part);
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

class SectionReader {
 public:
  SectionReader(const Section& s, const std::string& source) : s_(s), source_(source) {}

  int integer(const std::string& key, int fallback) const {
    const auto it = s_.values.find(key);
    if (it == s_.values.end()) return fallback;
    return parseInt(key, it->second);
  }
  std::string text(const std::string& key, const std::string& fallback) const {
    const auto it = s_.values.find(key);
    return it == s_.values.end() ? fallback : it->second;
  }
  std::vector<int> integers(const std::string& key) const {
    std::vector<int> out;
    for (const auto& p : splitCommas(text(key, ""))) out.push_back(parseInt(key, p));
    return out;
  }
  std::vector<float> floats(const std::string& key) const {
    std::vector<float> out;
    for (const auto& p : splitCommas(text(key, ""))) {
      try {
        std::size_t used = 0;
        out.push_back(std::stof(p, &used));
        if (used != p.size()) throw std::invalid_argument(p);
      } catch (const std::exception&) {
        fail(source_, s_.line, "[" + s_.name + "] " + key + ": \"" + p + "\" is not a number");
      }
    }
    return out;
  }

 private:
  int parseInt(const std::string& key, const std::string& v) const {
    try {
      std::size_t used = 0;
      const int value = std::stoi(v, &used);
      if (used == v.size()) return value;
    } catch (const std::exception&) {
    }
    fail(source_, s_.line,
         "[" + s_.name + "] " + key + ": expected an integer, found \"" + v + "\"");
  }
  const Section& s_;
  const std::string& source_;
};

bool sameShape(const DarknetLayer& a, const DarknetLayer& b) {
  if (a.type != b.type) return false;
  if (a.type == "convolutional")
    return a.filters == b.filters && a.size == b.size && a.stride == b.stride && a.bn == b.bn &&
           a.activation == b.activation;
  if (a.type == "route") return a.layers == b.layers;
  if (a.type == "shortcut") return a.from == b.from;
  if (a.type == "maxpool") return a.size == b.size && a.stride == b.stride;
  if (a.type == "upsample") return a.stride == b.stride;
  return true;  // yolo: masks are checked separately (standard tiny uses 1,2,3)
}

// A float as cfg files write it: shortest form ("10", "12.5").
std::string cfgNumber(float v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

std::string darknetCfgText(const ModelSpec& spec) {
  const std::vector<ScaleAnchors> anchors = anchorsOf(spec);
  std::string anchorText;
  int numAnchors = 0;
  for (const auto& scale : anchors)
    for (const auto& wh : scale) {
      anchorText += (numAnchors ? ",  " : "") + cfgNumber(wh[0]) + "," + cfgNumber(wh[1]);
      ++numAnchors;
    }
  std::ostringstream out;
  out << "# " << spec.architecture << ", " << spec.numClasses
      << " classes, written by YOLO Workbench.\n"
      << "# Anchors are in network-input pixels, listed per scale in ascending stride; mask picks\n"
      << "# a scale's three. Batch norm epsilon 1e-6 and pad=1 (kernel/2 per side) as Darknet.\n"
      << "[net]\nbatch=1\nsubdivisions=1\nwidth=" << spec.inputSize << "\nheight=" << spec.inputSize
      << "\nchannels=3\nmomentum=0.9\ndecay=0.0005\nangle=0\nsaturation=1.5\nexposure=1.5\nhue=.1\n"
      << "learning_rate=0.001\nburn_in=1000\nmax_batches=500200\npolicy=steps\n"
      << "steps=400000,450000\nscales=.1,.1\n";
  for (const DarknetLayer& l :
       darknetLayers(spec.architecture, kAnchorsPerScale * (5 + spec.numClasses))) {
    out << "\n[" << l.type << "]\n";
    if (l.type == "convolutional") {
      if (l.bn) out << "batch_normalize=1\n";
      out << "filters=" << l.filters << "\nsize=" << l.size << "\nstride=" << l.stride
          << "\npad=1\nactivation=" << l.activation << "\n";
    } else if (l.type == "shortcut") {
      out << "from=" << l.from << "\nactivation=linear\n";
    } else if (l.type == "route") {
      out << "layers=" << joinInts(l.layers) << "\n";
    } else if (l.type == "upsample") {
      out << "stride=" << l.stride << "\n";
    } else if (l.type == "maxpool") {
      out << "size=" << l.size << "\nstride=" << l.stride << "\n";
    } else if (l.type == "yolo") {
      out << "mask=" << joinInts(l.mask) << "\nanchors=" << anchorText
          << "\nclasses=" << spec.numClasses << "\nnum=" << numAnchors
          << "\njitter=.3\nignore_thresh=.7\ntruth_thresh=1\nrandom=1\n";
    }
  }
  return out.str();
}

DarknetCfg parseDarknetCfg(const std::string& text, const std::string& source) {
  const std::vector<Section> sections = splitSections(text, source);
  if (sections.empty() || (sections[0].name != "net" && sections[0].name != "network"))
    fail(source, sections.empty() ? 0 : sections[0].line,
         "expected [net] as the first section, found " +
             (sections.empty() ? std::string("no sections") : "[" + sections[0].name + "]"));

  DarknetCfg cfg;
  {
    const SectionReader net(sections[0], source);
    cfg.width = net.integer("width", 416);
    cfg.height = net.integer("height", 416);
    if (net.integer("channels", 3) != 3)
      fail(source, sections[0].line, "[net] channels must be 3 (RGB)");
  }

  std::vector<DarknetLayer> layers;
  int classes = -1;
  std::vector<float> anchorValues;
  for (std::size_t i = 1; i < sections.size(); ++i) {
    const Section& s = sections[i];
    const SectionReader r(s, source);
    DarknetLayer l;
    l.line = s.line;
    l.type = s.name == "conv" ? "convolutional" : s.name;
    if (l.type == "convolutional") {
      l.filters = r.integer("filters", 1);
      l.size = r.integer("size", 1);
      l.stride = r.integer("stride", 1);
      l.bn = r.integer("batch_normalize", 0) != 0;
      l.activation = r.text("activation", "logistic");
      const int pad = r.integer("pad", 0);
      const int padding = r.integer("padding", 0);
      if ((pad ? l.size / 2 : padding) != l.size / 2)
        fail(source, s.line,
             "[convolutional] padding " + std::to_string(pad ? l.size / 2 : padding) +
                 ", expected pad=1 (" + std::to_string(l.size / 2) + ")");
      if (r.integer("groups", 1) != 1) fail(source, s.line, "[convolutional] groups must be 1");
    } else if (l.type == "shortcut") {
      l.from = r.integer("from", 0);
      if (r.text("activation", "linear") != "linear")
        fail(source, s.line, "[shortcut] activation must be linear");
    } else if (l.type == "route") {
      l.layers = r.integers("layers");
    } else if (l.type == "upsample") {
      l.stride = r.integer("stride", 2);
    } else if (l.type == "maxpool") {
      l.size = r.integer("size", 2);
      l.stride = r.integer("stride", 2);
    } else if (l.type == "yolo") {
      l.mask = r.integers("mask");
      const int c = r.integer("classes", 20);
      if (classes >= 0 && c != classes)
        fail(source, s.line,
             "[yolo] classes=" + std::to_string(c) + ", an earlier [yolo] has " +
                 std::to_string(classes));
      classes = c;
      const std::vector<float> a = r.floats("anchors");
      if (!anchorValues.empty() && a != anchorValues)
        fail(source, s.line, "[yolo] anchors differ from an earlier [yolo] section's");
      anchorValues = a;
    } else {
      fail(source, s.line,
           "unknown section [" + s.name +
               "] (expected net, convolutional, shortcut, route, upsample, maxpool or yolo)");
    }
    layers.push_back(l);
  }

  // The architecture is the one with as many convs (75, 13 and 16: each has its own count).
  auto countConvs = [](const std::vector<DarknetLayer>& list) {
    return static_cast<int>(std::count_if(
        list.begin(), list.end(), [](const DarknetLayer& l) { return l.type == "convolutional"; }));
  };
  const int convs = countConvs(layers);
  std::string architecture, known;
  for (const std::string& name : architectureNames()) {
    const int n = countConvs(darknetLayers(name, 3 * (5 + 1)));
    if (n == convs) architecture = name;
    known += (known.empty() ? "" : ", ") + std::to_string(n) + " (" + name + ")";
  }
  if (architecture.empty())
    fail(source, 0,
         "found " + std::to_string(convs) + " [convolutional] sections, expected " + known);
  if (classes < 1) fail(source, 0, "no [yolo] section with classes >= 1");

  const std::vector<DarknetLayer> expected = darknetLayers(architecture, 3 * (5 + classes));
  if (layers.size() != expected.size())
    fail(source, 0,
         "found " + std::to_string(layers.size()) + " layers, " + architecture + " has " +
             std::to_string(expected.size()));
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (sameShape(layers[i], expected[i])) continue;
    std::string hint;
    if (expected[i].type == "convolutional" && expected[i].activation == "linear" &&
        layers[i].type == "convolutional")
      hint = " (the output conv needs 3 * (5 + classes) = " + std::to_string(expected[i].filters) +
             " filters for classes=" + std::to_string(classes) + ")";
    fail(source, layers[i].line,
         "layer " + std::to_string(i) + " is " + describe(layers[i]) + ", " + architecture +
             " expects " + describe(expected[i]) + hint);
  }

  // Anchors per scale in ascending stride: [yolo] sections come largest stride first.
  std::vector<const DarknetLayer*> yolos;
  for (const auto& l : layers)
    if (l.type == "yolo") yolos.push_back(&l);
  if (anchorValues.size() % 2 != 0)
    fail(source, yolos.front()->line, "[yolo] anchors has an odd count of numbers");
  const int numAnchors = static_cast<int>(anchorValues.size() / 2);
  cfg.spec.architecture = architecture;
  cfg.spec.numClasses = classes;
  cfg.spec.inputSize = cfg.width;
  for (auto it = yolos.rbegin(); it != yolos.rend(); ++it) {
    const DarknetLayer& y = **it;
    if (y.mask.size() != static_cast<std::size_t>(kAnchorsPerScale))
      fail(source, y.line,
           "[yolo] mask has " + std::to_string(y.mask.size()) + " entries, expected " +
               std::to_string(kAnchorsPerScale));
    ScaleAnchors scale;
    for (int m : y.mask) {
      if (m < 0 || m >= numAnchors)
        fail(source, y.line,
             "[yolo] mask " + std::to_string(m) + " is outside the " + std::to_string(numAnchors) +
                 " anchors");
      scale.push_back({anchorValues[2 * m], anchorValues[2 * m + 1]});
    }
    cfg.spec.anchors.push_back(scale);
  }
  for (const DarknetLayer* y : yolos) cfg.masks.push_back(y->mask);

  if (cfg.width != cfg.height)
    fail(source, sections[0].line,
         "[net] width " + std::to_string(cfg.width) + " and height " + std::to_string(cfg.height) +
             " differ; expected a square input");
  if (const std::string error = validateModelSpec(cfg.spec); !error.empty()) fail(source, 0, error);
  return cfg;
}

DarknetCfg readDarknetCfg(const std::filesystem::path& cfg) {
  return parseDarknetCfg(readTextFile(cfg), cfg.string());
}

}  // namespace yolo::model
