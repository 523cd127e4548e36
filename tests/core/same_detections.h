#pragma once
// Comparing two inference pipelines the way a user compares them: by the detections drawn.

#include <vector>

#include "core/infer/detector.h"

namespace yolo::test {

/// Two float pipelines that compute the same network in another order (oneDNN's AVX2 and
/// AVX-512 kernels, Winograd against direct convolutions, folded against unfolded
/// BatchNorm) differ by roundings that grow with the box: a corner at 156 px is a sum of an
/// exponential times an anchor, so its rounding is relative, not absolute. What must not
/// differ is what a user sees. Each expected detection is paired with the unpaired actual
/// one of the same class that overlaps it most; they match when that IoU is >= 0.99 (a
/// 100 px box may move by about a quarter pixel) and the scores agree within a relative
/// 1e-3 (scores are sigmoids of outputs whose relative rounding is far below that). Both
/// lists must have the same length: a pipeline that drops or adds a box fails.
void expectSameDetections(const std::vector<infer::Detection>& actual,
                          const std::vector<infer::Detection>& expected);

}  // namespace yolo::test
