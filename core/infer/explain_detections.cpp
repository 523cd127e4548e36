#include <torch/torch.h>

#include "core/infer/explain_detections.h"

#include <algorithm>
#include <stdexcept>

#include "core/infer/nms.h"
#include "core/infer/postprocess.h"

namespace yolo::infer {

namespace {

/// The candidate table read row by row, boxes mapped to the image as postprocess() maps
/// them (letterbox undone, clipped).
class CandidateRows {
 public:
  CandidateRows(const torch::Tensor& candidates, const torch::Tensor& origins,
                const std::vector<HeadLayout>& heads, const LetterboxGeometry& geometry,
                int sourceWidth, int sourceHeight, const std::vector<std::string>& classNames)
      : rows_(candidates.to(torch::kCPU, torch::kFloat).contiguous()),
        origins_(origins.to(torch::kCPU, torch::kLong).contiguous()),
        heads_(heads),
        geometry_(geometry),
        width_(static_cast<float>(sourceWidth)),
        height_(static_cast<float>(sourceHeight)),
        classNames_(classNames) {
    TORCH_CHECK(rows_.dim() == 2 && rows_.size(1) > 5, "candidates must be [K, 5 + C], got ",
                rows_.sizes());
    TORCH_CHECK(origins_.dim() == 1 && origins_.size(0) == rows_.size(0),
                "origins must be [K] for ", rows_.size(0), " candidates, got ", origins_.sizes());
  }

  int64_t size() const { return rows_.size(0); }
  int classes() const { return static_cast<int>(rows_.size(1) - 5); }

  const float* row(int64_t i) const { return rows_.data_ptr<float>() + i * rows_.size(1); }

  // Best class and its score (objectness x probability), as postprocess() ranks rows.
  std::pair<int, float> bestClass(int64_t i) const {
    const float* r = row(i);
    int best = 0;
    for (int c = 1; c < classes(); ++c)
      if (r[5 + c] > r[5 + best]) best = c;
    return {best, r[4] * r[5 + best]};
  }

  Detection box(int64_t i) const {
    const float* r = row(i);
    const float halfW = r[2] * 0.5f, halfH = r[3] * 0.5f;
    Detection d;
    d.x1 = std::clamp(geometry_.toSourceX(r[0] - halfW), 0.f, width_);
    d.y1 = std::clamp(geometry_.toSourceY(r[1] - halfH), 0.f, height_);
    d.x2 = std::clamp(geometry_.toSourceX(r[0] + halfW), 0.f, width_);
    d.y2 = std::clamp(geometry_.toSourceY(r[1] + halfH), 0.f, height_);
    const auto [classId, score] = bestClass(i);
    d.classId = classId;
    d.score = score;
    d.className = nameOf(classId);
    return d;
  }

  Candidate candidate(int64_t i) const {
    Candidate c;
    c.box = box(i);
    const float* r = row(i);
    c.objectness = r[4];
    std::vector<int> order(static_cast<size_t>(classes()));
    for (int k = 0; k < classes(); ++k) order[static_cast<size_t>(k)] = k;
    const auto top = std::min<size_t>(3, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      [&](int a, int b) { return r[5 + a] > r[5 + b]; });
    for (size_t k = 0; k < top; ++k)
      c.topClasses.push_back({order[k], nameOf(order[k]), r[5 + order[k]]});
    c.origin = originOf(origins_.data_ptr<int64_t>()[i], heads_);
    return c;
  }

 private:
  std::string nameOf(int classId) const {
    return classId < static_cast<int>(classNames_.size())
               ? classNames_[static_cast<size_t>(classId)]
               : std::to_string(classId);
  }

  torch::Tensor rows_, origins_;
  const std::vector<HeadLayout>& heads_;
  LetterboxGeometry geometry_;
  float width_, height_;
  const std::vector<std::string>& classNames_;
};

float area(const Detection& d) { return std::max(0.f, d.x2 - d.x1) * std::max(0.f, d.y2 - d.y1); }

float intersection(const Detection& a, const Detection& b) {
  const float w = std::min(a.x2, b.x2) - std::max(a.x1, b.x1);
  const float h = std::min(a.y2, b.y2) - std::max(a.y1, b.y1);
  return w > 0 && h > 0 ? w * h : 0.f;
}

// boxIou (core/infer/nms.h), the IoU per-class NMS itself uses.
float iou(const Detection& a, const Detection& b) {
  const float ab[4] = {a.x1, a.y1, a.x2, a.y2}, bb[4] = {b.x1, b.y1, b.x2, b.y2};
  return boxIou(ab, bb);
}

std::vector<int64_t> toVector(const torch::Tensor& t) {
  const auto c = t.to(torch::kCPU, torch::kLong).contiguous();
  return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

bool validBox(const Detection& d, const DetectOptions& options) {
  if (!(d.x2 > d.x1) || !(d.y2 > d.y1)) return false;
  const float scale = std::sqrt(area(d));
  return scale > options.minBoxScale && scale < options.maxBoxScale;
}

}  // namespace

std::vector<HeadLayout> headLayouts(const model::YoloNetImpl& net) {
  std::vector<HeadLayout> heads;
  const int input = net.spec().inputSize;
  for (size_t s = 0; s < net.strides().size(); ++s) {
    const int stride = net.strides()[s];
    heads.push_back({stride, input / stride, input / stride, net.anchors()[s]});
  }
  return heads;
}

CandidateOrigin originOf(int64_t flatIndex, const std::vector<HeadLayout>& heads) {
  int64_t rest = flatIndex;
  for (size_t h = 0; h < heads.size(); ++h) {
    const HeadLayout& head = heads[h];
    const auto anchors = static_cast<int64_t>(head.anchors.size());
    const int64_t rows = static_cast<int64_t>(head.gridWidth) * head.gridHeight * anchors;
    if (rest < rows && rest >= 0) {
      CandidateOrigin o;
      o.head = static_cast<int>(h);
      o.stride = head.stride;
      o.anchor = static_cast<int>(rest % anchors);
      o.cellX = static_cast<int>((rest / anchors) % head.gridWidth);
      o.cellY = static_cast<int>(rest / anchors / head.gridWidth);
      o.anchorWidth = head.anchors[static_cast<size_t>(o.anchor)][0];
      o.anchorHeight = head.anchors[static_cast<size_t>(o.anchor)][1];
      return o;
    }
    rest -= rows;
  }
  throw std::out_of_range("candidate row " + std::to_string(flatIndex) + " is past the " +
                          std::to_string(heads.size()) + " heads");
}

std::vector<DetectionExplanation> explainDetections(
    const torch::Tensor& candidates, const torch::Tensor& origins,
    const std::vector<HeadLayout>& heads, const LetterboxGeometry& geometry, int sourceWidth,
    int sourceHeight, const DetectOptions& options, const std::vector<std::string>& classNames) {
  const CandidateRows table(candidates, origins, heads, geometry, sourceWidth, sourceHeight,
                            classNames);
  const DetectionTensors detected =
      postprocess(candidates, geometry, sourceWidth, sourceHeight, options);
  // The boxes NMS kept, before the one-label-per-object rule and the cap.
  DetectOptions nmsOnly = options;
  nmsOnly.insideCover = 1.f;
  nmsOnly.maxDetections = 0;
  const std::vector<int64_t> survivors =
      toVector(postprocess(candidates, geometry, sourceWidth, sourceHeight, nmsOnly).rows);
  const std::vector<int64_t> final = toVector(detected.rows);
  std::vector<Detection> survivorBoxes;  // compared with every other candidate: made once
  for (int64_t row : survivors) survivorBoxes.push_back(table.box(row));

  std::vector<DetectionExplanation> out;
  const auto scores = detected.scores.to(torch::kCPU, torch::kFloat).contiguous();
  for (size_t i = 0; i < final.size(); ++i) {
    DetectionExplanation e;
    e.candidate = table.candidate(final[i]);
    e.scoreAfterNms = scores.data_ptr<float>()[i];
    out.push_back(std::move(e));
  }
  const auto finalIndex = [&](int64_t row) -> int {
    const auto it = std::find(final.begin(), final.end(), row);
    return it == final.end() ? -1 : static_cast<int>(it - final.begin());
  };
  // survivors are by descending score: the first that qualifies is the best-scoring one.
  for (int64_t row = 0; row < table.size(); ++row) {
    if (finalIndex(row) >= 0) continue;
    const Detection box = table.box(row);
    if (!(box.score > options.scoreThreshold) || !validBox(box, options)) continue;
    const bool survivedNms = std::find(survivors.begin(), survivors.end(), row) != survivors.end();
    int by = -1;
    SuppressedCandidate s;
    if (survivedNms) {
      // Removed by the one-label-per-object rule (or the cap, which is not listed).
      for (size_t i = 0; i < final.size() && by < 0; ++i) {
        const Detection& d = out[i].candidate.box;
        const float cover = area(box) > 0 ? intersection(d, box) / area(box) : 0.f;
        if (d.score >= box.score && cover > options.insideCover) {
          by = static_cast<int>(i);
          s.why = SuppressedCandidate::Why::kInside;
          s.overlap = cover;
        }
      }
    } else {
      float most = 0;
      for (size_t k = 0; k < survivors.size(); ++k) {
        const int64_t other = survivors[k];
        const Detection& kept = survivorBoxes[k];
        if (kept.classId != box.classId) continue;
        const float overlap = iou(kept, box);
        const bool suppresses =
            options.softNms ? overlap > most : overlap > options.iouThreshold && most == 0;
        if (!suppresses) continue;
        most = overlap;
        by = finalIndex(other);  // -1 when its suppressor was itself removed later
        s.why = SuppressedCandidate::Why::kOverlap;
        s.overlap = overlap;
        if (!options.softNms) break;
      }
    }
    if (by < 0) continue;
    s.candidate = table.candidate(row);
    out[static_cast<size_t>(by)].suppressed.push_back(std::move(s));
  }
  for (DetectionExplanation& e : out) {
    std::stable_sort(e.suppressed.begin(), e.suppressed.end(),
                     [](const SuppressedCandidate& a, const SuppressedCandidate& b) {
                       return a.candidate.box.score > b.candidate.box.score;
                     });
  }
  return out;
}

std::optional<Candidate> strongestUndetectedAt(float x, float y, const torch::Tensor& candidates,
                                               const torch::Tensor& origins,
                                               const std::vector<HeadLayout>& heads,
                                               const LetterboxGeometry& geometry, int sourceWidth,
                                               int sourceHeight, const DetectOptions& options,
                                               const std::vector<std::string>& classNames) {
  const CandidateRows table(candidates, origins, heads, geometry, sourceWidth, sourceHeight,
                            classNames);
  const std::vector<int64_t> detected =
      toVector(postprocess(candidates, geometry, sourceWidth, sourceHeight, options).rows);
  int64_t best = -1;
  float bestScore = -1;
  for (int64_t row = 0; row < table.size(); ++row) {
    const Detection box = table.box(row);
    if (x < box.x1 || x >= box.x2 || y < box.y1 || y >= box.y2 || box.score <= bestScore) continue;
    if (std::find(detected.begin(), detected.end(), row) != detected.end()) continue;
    best = row;
    bestScore = box.score;
  }
  if (best < 0) return std::nullopt;
  return table.candidate(best);
}

}  // namespace yolo::infer
