#pragma once
// The layer list of Darknet's yolov3.cfg, yolov3-tiny.cfg and yolov3-tiny_3l.cfg: what the cfg
// writer and reader check against, and what the oneDNN inference engine runs. Torch-free.

#include <string>
#include <vector>

namespace yolo::model {

/// One section of a cfg, reduced to what decides the network's shape. Indices in `layers`
/// and `from` follow Darknet: negative = relative to this layer, else absolute (0-based,
/// [net] not counted).
struct DarknetLayer {
  std::string type;  // convolutional, shortcut, route, upsample, maxpool, yolo
  int filters = 0, size = 0, stride = 1;
  bool bn = false;
  std::string activation;
  std::vector<int> layers;  // route
  int from = 0;             // shortcut
  std::vector<int> mask;    // yolo
  int line = 0;             // where it was read (0 = generated)
};

/// The layer sequence of Darknet's yolov3.cfg / yolov3-tiny.cfg / yolov3-tiny_3l.cfg with
/// `outFilters` output filters and masks 0,1,2 / 3,4,5 / 6,7,8 (yolo sections in file order:
/// largest stride first). Empty for an unknown architecture.
std::vector<DarknetLayer> darknetLayers(const std::string& architecture, int outFilters);

/// What a layer of a list takes in and puts out, for a 3-channel input image.
struct DarknetLayerOutput {
  int inChannels = 0;  ///< of the layer's input (a conv's weights are out x in x k x k)
  int channels = 0;    ///< of its output
  int stride = 1;      ///< input-image pixels per output cell
};

/// Each layer's channels and stride, walking `layers` in order: convs, max pools and
/// upsamples change them; a route sums its inputs' channels and takes its first input's
/// stride; shortcuts and [yolo] pass them on. Throws std::out_of_range for a route to a
/// layer that is not before it.
std::vector<DarknetLayerOutput> darknetLayerOutputs(const std::vector<DarknetLayer>& layers);

/// A list as cfg files write it: "1,2,3".
std::string joinInts(const std::vector<int>& values);

}  // namespace yolo::model
