#pragma once
// What a YOLO network looks like: architecture, classes, input size, anchors, init.
// Torch-free on purpose: the GUI includes this header, and Qt's moc must never see torch.

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace yolo::model {

/// Anchor boxes of one output scale: (width, height) pairs in network-input pixels.
using ScaleAnchors = std::vector<std::array<float, 2>>;

/// Anchors are used as given at every input size (as Darknet and the TF tutorial do): they are
/// pixels of the network input, not of the image, and they are not rescaled with inputSize.
struct ModelSpec {
  std::string architecture = "yolov3";  ///< one of architectureNames()
  int numClasses = 10;
  int inputSize = 416;  ///< square network input in pixels, a multiple of 32
  /// Per output scale, ordered from the smallest stride to the largest, 3 anchors each, in
  /// network-input pixels. Empty means defaultAnchors(architecture); see anchorsOf().
  std::vector<ScaleAnchors> anchors;
  /// "tutorial": conv weights N(0, 0.01), conv biases 0 (the TF2 tutorial's initialisers);
  /// "kaiming": PyTorch's default initialisation.
  std::string init = "tutorial";
  /// Probability the output convs' biases start at, for objectness and for each class (the
  /// prior of RetinaNet and later YOLOs: bias = log(p / (1 - p)), -4.6 for p = 0.01). A fresh
  /// network then starts out saying "nothing here", as nearly every anchor should, instead
  /// of spending its first hundred steps learning it. 0 = biases from `init` (the tutorial).
  /// Only a new network sees it: loaded weights replace the biases.
  float outputPrior = 0.f;
};

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ModelSpec, architecture, numClasses, inputSize,
                                                anchors, init, outputPrior)

inline constexpr int kAnchorsPerScale = 3;

/// The architectures createModel() builds, as Darknet names their cfgs:
/// - "yolov3": Darknet-53 and three heads (yolov3.cfg);
/// - "yolov3-tiny": 13 convs, heads at strides 16 and 32 (yolov3-tiny.cfg);
/// - "yolov3-tiny-3l": tiny plus a third head at stride 8 fed by the backbone's stride-8
///   map (yolov3-tiny_3l.cfg): small objects (under a 16-pixel cell) get their own grid.
inline std::vector<std::string> architectureNames() {
  return {"yolov3", "yolov3-tiny", "yolov3-tiny-3l"};
}

/// True for the architectures createModel() knows.
inline bool isKnownArchitecture(const std::string& architecture) {
  for (const auto& name : architectureNames())
    if (architecture == name) return true;
  return false;
}

/// Output strides of an architecture, ascending: {8, 16, 32} for "yolov3" and
/// "yolov3-tiny-3l", {16, 32} for "yolov3-tiny"; empty for an unknown name.
inline std::vector<int> strides(const std::string& architecture) {
  if (architecture == "yolov3" || architecture == "yolov3-tiny-3l") return {8, 16, 32};
  if (architecture == "yolov3-tiny") return {16, 32};
  return {};
}

/// Darknet's COCO anchors, grouped per output scale in stride order; empty for an unknown name.
/// Note: Darknet's yolov3-tiny.cfg uses mask 1,2,3 for its stride-16 head, i.e. anchors
/// (23,27) (37,58) (81,82); these defaults use the disjoint split 0,1,2 / 3,4,5 instead.
/// "yolov3-tiny-3l" uses the nine of Darknet's yolov3-tiny_3l.cfg.
inline std::vector<ScaleAnchors> defaultAnchors(const std::string& architecture) {
  if (architecture == "yolov3-tiny-3l")
    return {{{4, 7}, {7, 15}, {13, 25}},
            {{25, 42}, {41, 67}, {75, 94}},
            {{91, 162}, {158, 205}, {250, 332}}};
  if (architecture == "yolov3")
    return {{{10, 13}, {16, 30}, {33, 23}},
            {{30, 61}, {62, 45}, {59, 119}},
            {{116, 90}, {156, 198}, {373, 326}}};
  if (architecture == "yolov3-tiny")
    return {{{10, 14}, {23, 27}, {37, 58}}, {{81, 82}, {135, 169}, {344, 319}}};
  return {};
}

/// The anchors a model built from `spec` uses: spec.anchors, or the defaults when empty.
inline std::vector<ScaleAnchors> anchorsOf(const ModelSpec& spec) {
  return spec.anchors.empty() ? defaultAnchors(spec.architecture) : spec.anchors;
}

/// A spec for `architecture` with its default anchors written out.
inline ModelSpec makeModelSpec(const std::string& architecture, int numClasses,
                               int inputSize = 416) {
  ModelSpec spec;
  spec.architecture = architecture;
  spec.numClasses = numClasses;
  spec.inputSize = inputSize;
  spec.anchors = defaultAnchors(architecture);
  return spec;
}

/// Empty when `spec` can be built; otherwise one sentence that names the bad field and value.
inline std::string validateModelSpec(const ModelSpec& spec) {
  using std::to_string;
  if (!isKnownArchitecture(spec.architecture)) {
    std::string known;
    for (const auto& name : architectureNames()) known += (known.empty() ? "" : ", ") + name;
    return "unknown architecture \"" + spec.architecture + "\" (expected " + known + ")";
  }
  if (spec.numClasses < 1)
    return "numClasses is " + to_string(spec.numClasses) + ", expected at least 1";
  if (spec.inputSize < 32 || spec.inputSize % 32 != 0)
    return "inputSize is " + to_string(spec.inputSize) + ", expected a positive multiple of 32";
  if (spec.init != "tutorial" && spec.init != "kaiming")
    return "unknown init \"" + spec.init + "\" (expected tutorial or kaiming)";
  if (!(spec.outputPrior >= 0.f && spec.outputPrior < 1.f))
    return "outputPrior is " + to_string(spec.outputPrior) +
           ", expected 0 (off) or a probability below 1";
  const std::size_t scales = strides(spec.architecture).size();
  if (!spec.anchors.empty()) {
    if (spec.anchors.size() != scales)
      return "anchors has " + to_string(spec.anchors.size()) + " scales, " + spec.architecture +
             " has " + to_string(scales);
    for (std::size_t s = 0; s < scales; ++s) {
      if (spec.anchors[s].size() != static_cast<std::size_t>(kAnchorsPerScale))
        return "anchors of scale " + to_string(s) + " has " + to_string(spec.anchors[s].size()) +
               " pairs, expected " + to_string(kAnchorsPerScale);
      for (const auto& wh : spec.anchors[s])
        if (!(wh[0] > 0.f && wh[1] > 0.f))
          return "anchor (" + to_string(wh[0]) + ", " + to_string(wh[1]) + ") of scale " +
                 to_string(s) + " is not positive";
    }
  }
  return {};
}

}  // namespace yolo::model
