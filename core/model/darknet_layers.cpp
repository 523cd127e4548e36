#include "core/model/darknet_layers.h"

#include <stdexcept>

namespace yolo::model {

namespace {

DarknetLayer conv(int filters, int size, int stride = 1) {
  DarknetLayer l;
  l.type = "convolutional";
  l.filters = filters;
  l.size = size;
  l.stride = stride;
  l.bn = true;
  l.activation = "leaky";
  return l;
}
DarknetLayer outputConv(int filters) {
  DarknetLayer l = conv(filters, 1);
  l.bn = false;
  l.activation = "linear";
  return l;
}
DarknetLayer simple(const std::string& type, int stride = 1, int size = 0) {
  DarknetLayer l;
  l.type = type;
  l.stride = stride;
  l.size = size;
  return l;
}
DarknetLayer route(std::vector<int> layers) {
  DarknetLayer l = simple("route");
  l.layers = std::move(layers);
  return l;
}
DarknetLayer yoloLayer(std::vector<int> mask) {
  DarknetLayer l = simple("yolo");
  l.mask = std::move(mask);
  return l;
}

}  // namespace

std::vector<DarknetLayer> darknetLayers(const std::string& architecture, int outFilters) {
  std::vector<DarknetLayer> l;
  if (architecture == "yolov3") {
    l.push_back(conv(32, 3));
    const int channels[] = {64, 128, 256, 512, 1024};
    const int blocks[] = {1, 2, 8, 8, 4};
    for (int s = 0; s < 5; ++s) {
      l.push_back(conv(channels[s], 3, 2));
      for (int b = 0; b < blocks[s]; ++b) {
        l.push_back(conv(channels[s] / 2, 1));
        l.push_back(conv(channels[s], 3));
        DarknetLayer shortcut = simple("shortcut");
        shortcut.from = -3;
        shortcut.activation = "linear";
        l.push_back(shortcut);
      }
    }
    // Heads; the routes go back to Darknet layers 61 (stride 16) and 36 (stride 8).
    const int headChannels[] = {512, 256, 128};
    const int skip[] = {61, 36};
    for (int h = 0; h < 3; ++h) {
      if (h > 0) {
        l.push_back(route({-4}));
        l.push_back(conv(headChannels[h], 1));
        l.push_back(simple("upsample", 2));
        l.push_back(route({-1, skip[h - 1]}));
      }
      for (int i = 0; i < 6; ++i)
        l.push_back(i % 2 == 0 ? conv(headChannels[h], 1) : conv(2 * headChannels[h], 3));
      l.push_back(outputConv(outFilters));
      const int first = 3 * (2 - h);
      l.push_back(yoloLayer({first, first + 1, first + 2}));
    }
  } else if (architecture == "yolov3-tiny" || architecture == "yolov3-tiny-3l") {
    // Masks count from the smallest stride: tiny's heads use anchors 3-5 (stride 32) and
    // 0-2 (stride 16); tiny-3l's 6-8, 3-5 and 0-2 (stride 8).
    const int first32 = architecture == "yolov3-tiny" ? 3 : 6;
    for (int i = 0; i < 6; ++i) {
      l.push_back(conv(16 << i, 3));
      l.push_back(simple("maxpool", i < 5 ? 2 : 1, 2));
    }
    l.push_back(conv(1024, 3));
    l.push_back(conv(256, 1));
    l.push_back(conv(512, 3));
    l.push_back(outputConv(outFilters));
    l.push_back(yoloLayer({first32, first32 + 1, first32 + 2}));
    l.push_back(route({-4}));
    l.push_back(conv(128, 1));
    l.push_back(simple("upsample", 2));
    l.push_back(route({-1, 8}));
    l.push_back(conv(256, 3));
    l.push_back(outputConv(outFilters));
    l.push_back(yoloLayer({first32 - 3, first32 - 2, first32 - 1}));
    if (architecture == "yolov3-tiny-3l") {
      // Route -3 (the stride-16 head's 3x3 conv) and layer 6 (backbone conv 3, stride 8).
      l.push_back(route({-3}));
      l.push_back(conv(128, 1));
      l.push_back(simple("upsample", 2));
      l.push_back(route({-1, 6}));
      l.push_back(conv(128, 3));
      l.push_back(outputConv(outFilters));
      l.push_back(yoloLayer({0, 1, 2}));
    }
  }
  return l;
}

std::vector<DarknetLayerOutput> darknetLayerOutputs(const std::vector<DarknetLayer>& layers) {
  std::vector<DarknetLayerOutput> outputs;
  outputs.reserve(layers.size());
  DarknetLayerOutput current{3, 3, 1};
  for (int i = 0; i < static_cast<int>(layers.size()); ++i) {
    const DarknetLayer& l = layers[i];
    current.inChannels = current.channels;
    if (l.type == "convolutional") {
      current.channels = l.filters;
      current.stride *= l.stride;
    } else if (l.type == "maxpool") {
      current.stride *= l.stride;
    } else if (l.type == "upsample") {
      current.stride /= l.stride;
    } else if (l.type == "route") {
      const auto input = [&](int ref) -> const DarknetLayerOutput& {
        const int at = ref < 0 ? i + ref : ref;
        if (at < 0 || at >= i) throw std::out_of_range("route to a layer that is not before it");
        return outputs[static_cast<std::size_t>(at)];
      };
      current.channels = 0;
      for (int ref : l.layers) current.channels += input(ref).channels;
      current.inChannels = current.channels;
      current.stride = input(l.layers.at(0)).stride;
    }
    outputs.push_back(current);
  }
  return outputs;
}

std::string joinInts(const std::vector<int>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i)
    text += (i ? "," : "") + std::to_string(values[i]);
  return text;
}

}  // namespace yolo::model
