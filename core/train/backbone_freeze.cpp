#include "core/train/backbone_freeze.h"

#include <vector>

namespace yolo::train {

int backboneConvCount(const std::string& architecture) {
  if (architecture == "yolov3") return 52;
  if (architecture == "yolov3-tiny" || architecture == "yolov3-tiny-3l") return 7;
  return 0;
}

void setBackboneFrozen(model::YoloNetImpl& net, bool frozen) {
  const std::vector<model::ConvBlock> convs = net.convsInDarknetOrder();
  const int n = backboneConvCount(net.spec().architecture);
  for (int i = 0; i < n && i < static_cast<int>(convs.size()); ++i)
    for (auto& p : convs[static_cast<std::size_t>(i)]->parameters()) p.set_requires_grad(!frozen);
}

}  // namespace yolo::train
