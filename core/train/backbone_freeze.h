#pragma once
// Freezing the backbone while the heads of a network started from pretrained weights adapt
// to new classes (RunConfig::freezeBackboneEpochs).

#include <string>

#include "core/model/yolo_net.h"

namespace yolo::train {

/// How many leading convs of convsInDarknetOrder() form the backbone that freezing holds:
/// 52 (Darknet-53) for yolov3; 7 (the 16..1024-channel convs before the heads) for
/// yolov3-tiny and yolov3-tiny-3l; 0 for anything else.
int backboneConvCount(const std::string& architecture);

/// Turns requires_grad off (frozen) or on for the backbone's parameters. Its BatchNorm keeps
/// updating running statistics unless the caller puts those modules in eval mode.
void setBackboneFrozen(model::YoloNetImpl& net, bool frozen);

}  // namespace yolo::train
