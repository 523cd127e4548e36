#include "core/train/training_memory.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "core/model/darknet_layers.h"

namespace yolo::train {

namespace {

std::string gigabytes(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GB", static_cast<double>(bytes) / 1e9);
  return text;
}

// What one training step keeps: values per image that autograd holds for the backward pass
// (see the header), and the network's parameters.
struct KeptValues {
  int64_t perImage = 0;
  int64_t parameters = 0;
};

KeptValues keptValues(const model::ModelSpec& spec) {
  const std::vector<model::DarknetLayer> layers =
      model::darknetLayers(spec.architecture, 3 * (5 + spec.numClasses));
  const std::vector<model::DarknetLayerOutput> outputs = model::darknetLayerOutputs(layers);
  KeptValues kept;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const model::DarknetLayer& l = layers[i];
    const model::DarknetLayerOutput& out = outputs[i];
    int copies = 1;  // tensors of this layer's output size kept for the backward pass
    if (l.type == "convolutional") {
      kept.parameters += static_cast<int64_t>(l.filters) * out.inChannels * l.size * l.size +
                         (l.bn ? 4 : 1) * static_cast<int64_t>(l.filters);
      copies = l.bn || l.activation != "linear" ? 2 : 1;  // before and after the activation
    } else if (l.type == "yolo") {
      copies = 0;  // the loss reads the output conv's values
    }
    const int64_t side = spec.inputSize / out.stride;
    kept.perImage += copies * static_cast<int64_t>(out.channels) * side * side;
  }
  return kept;
}

}  // namespace

int64_t trainingMemoryLowerBound(const model::ModelSpec& spec, int batchSize, int dataWorkers,
                                 int bytesPerValue) {
  const KeptValues kept = keptValues(spec);
  const int64_t input = 3LL * spec.inputSize * spec.inputSize * 4;  // float images
  // fp32 weights, their gradients, Adam's two moments and the weight average.
  const int64_t parameters = 5 * kept.parameters * 4;
  return parameters + batchSize * (kept.perImage * bytesPerValue + input * (1 + dataWorkers));
}

std::optional<int64_t> availableMemoryBytes() {
  std::ifstream meminfo("/proc/meminfo");
  if (!meminfo) return std::nullopt;
  std::optional<int64_t> available;
  int64_t swapFree = 0;
  std::string line;
  while (std::getline(meminfo, line)) {
    std::istringstream fields(line);
    std::string key;
    int64_t kilobytes = 0;
    if (!(fields >> key >> kilobytes)) continue;
    if (key == "MemAvailable:") available = kilobytes * 1024;
    if (key == "SwapFree:") swapFree = kilobytes * 1024;
  }
  if (!available) return std::nullopt;
  return *available + swapFree;
}

void refuseRunLargerThanMemory(const model::ModelSpec& spec, int batchSize, int dataWorkers,
                               int bytesPerValue, std::optional<int64_t> available) {
  if (!available) return;
  const int64_t needed = trainingMemoryLowerBound(spec, batchSize, dataWorkers, bytesPerValue);
  if (needed <= *available) return;
  throw std::runtime_error("a batch of " + std::to_string(batchSize) + " at " +
                           std::to_string(spec.inputSize) + " px needs at least " +
                           gigabytes(needed) + " of memory to train " + spec.architecture +
                           ", and this machine has " + gigabytes(*available) +
                           " available; lower batch_size or input_size");
}

}  // namespace yolo::train
