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

/// A list as cfg files write it: "1,2,3".
std::string joinInts(const std::vector<int>& values);

}  // namespace yolo::model
