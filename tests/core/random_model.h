#pragma once
// A YOLO network with random but well-scaled weights and BatchNorm statistics, for tests that
// compare our forward pass with another implementation (OpenCV DNN, ONNX Runtime) on the
// files we export: outputs of order 1, so that a comparison of near-zeros proves nothing.

#include <memory>
#include <string>

#include "core/model/yolo_net.h"

namespace yolo::test {

/// `architecture` with `classes` classes at input `size`, in eval mode. Every conv keeps
/// activations of order 1; a tenth of the BatchNorm channels have a variance near Darknet's
/// epsilon (1e-6) with a gamma scaled to match, so a wrong epsilon cannot pass unnoticed.
/// Uses torch's RNG (seed it for repeatable weights).
std::shared_ptr<model::YoloNetImpl> randomModel(const std::string& architecture, int classes,
                                                int size);

}  // namespace yolo::test
