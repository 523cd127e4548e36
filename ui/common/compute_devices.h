#pragma once
// The devices a model can run on, as Detector::load() names them.

#include <QStringList>

namespace yolo::ui {

/// "auto", "cpu", then "cuda:0" … "cuda:N-1" for each CUDA device libtorch can use (none
/// with a CPU-only libtorch). Asks libtorch once and remembers the answer.
QStringList computeDevices();

}  // namespace yolo::ui
