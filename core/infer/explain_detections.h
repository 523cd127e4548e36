#pragma once
// Traces detections back to the candidates they came from (core/infer/detection_explanation.h):
// pure functions over decodeCandidates()' table and its origins, so a test can explain a
// hand-made network output. The Detector calls them on its cached output.

#include <optional>
#include <vector>

#include <torch/torch.h>

#include "core/infer/detection_explanation.h"
#include "core/model/yolo_net.h"
#include "core/util/letterbox.h"

namespace yolo::infer {

/// One head's share of decodeCandidates()' flat row index: its rows are
/// (cellY * gridWidth + cellX) * anchors + anchor, after the rows of the heads before it.
struct HeadLayout {
  int stride = 0;
  int gridWidth = 0, gridHeight = 0;
  model::ScaleAnchors anchors;
};

/// The heads of `net` for its input size, in order.
std::vector<HeadLayout> headLayouts(const model::YoloNetImpl& net);

/// Head, anchor and cell of a flat row index; throws std::out_of_range past the last head.
CandidateOrigin originOf(int64_t flatIndex, const std::vector<HeadLayout>& heads);

/// What one image's decoded output says about its detections with `options` (the same
/// postprocess() the Detector runs). `candidates` [K, 5 + C] and `origins` [K] int64 as
/// decodeCandidates() gives them. One explanation per detection, in postprocess()' order.
/// A candidate above the score threshold that is not detected is listed under the
/// detection that removed it: with hard NMS the highest-scoring kept box of its class that
/// overlaps it above the IoU threshold (the one greedy NMS compared it with first), with
/// soft-NMS the kept box of its class it overlaps most; with the one-label-per-object rule,
/// the highest-scoring detection that covers it. Candidates cut by maxDetections are not
/// listed.
std::vector<DetectionExplanation> explainDetections(
    const torch::Tensor& candidates, const torch::Tensor& origins,
    const std::vector<HeadLayout>& heads, const LetterboxGeometry& geometry, int sourceWidth,
    int sourceHeight, const DetectOptions& options, const std::vector<std::string>& classNames);

/// The best-scoring candidate whose box holds (x, y) (original-image pixels) and that is
/// not one of the detections with `options`: why nothing (else) is detected there. Nullopt
/// when no candidate (kept down to kCandidateMinScore) covers the point.
std::optional<Candidate> strongestUndetectedAt(float x, float y, const torch::Tensor& candidates,
                                               const torch::Tensor& origins,
                                               const std::vector<HeadLayout>& heads,
                                               const LetterboxGeometry& geometry, int sourceWidth,
                                               int sourceHeight, const DetectOptions& options,
                                               const std::vector<std::string>& classNames);

}  // namespace yolo::infer
