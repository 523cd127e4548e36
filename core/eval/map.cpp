#include "core/eval/map.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

#include "core/eval/voc_match.h"

namespace yolo::eval {

namespace {

constexpr int kCocoThresholds = 10;  // IoU 0.50, 0.55, ..., 0.95

/// A detection of the class being evaluated, in evaluation order.
struct Ref {
  int image;
  int index;
  float score;
};

using Kind = data::Box::Kind;

}  // namespace

double iouVoc(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2,
              float by2) {
  // The tutorial's evaluator, line for line: inclusive pixel extents, "+ 1".
  const double iw = static_cast<double>(std::min(ax2, bx2)) - std::max(ax1, bx1) + 1;
  const double ih = static_cast<double>(std::min(ay2, by2)) - std::max(ay1, by1) + 1;
  if (iw <= 0 || ih <= 0) return 0;
  const double ua = (static_cast<double>(ax2) - ax1 + 1) * (static_cast<double>(ay2) - ay1 + 1) +
                    (static_cast<double>(bx2) - bx1 + 1) * (static_cast<double>(by2) - by1 + 1) -
                    iw * ih;
  return ua > 0 ? iw * ih / ua : 0;
}

double iouPlain(float ax1, float ay1, float ax2, float ay2, float bx1, float by1, float bx2,
                float by2) {
  const double iw = static_cast<double>(std::min(ax2, bx2)) - std::max(ax1, bx1);
  const double ih = static_cast<double>(std::min(ay2, by2)) - std::max(ay1, by1);
  if (iw <= 0 || ih <= 0) return 0;
  const double areaA =
      std::max(0.0, static_cast<double>(ax2) - ax1) * std::max(0.0, static_cast<double>(ay2) - ay1);
  const double areaB =
      std::max(0.0, static_cast<double>(bx2) - bx1) * std::max(0.0, static_cast<double>(by2) - by1);
  const double ua = areaA + areaB - iw * ih;
  return ua > 0 ? iw * ih / ua : 0;
}

double vocAllPointAp(const std::vector<double>& recall, const std::vector<double>& precision) {
  if (recall.size() != precision.size())
    throw std::invalid_argument("vocAllPointAp: recall and precision differ in length");
  std::vector<double> mrec{0.0};
  mrec.insert(mrec.end(), recall.begin(), recall.end());
  mrec.push_back(1.0);
  std::vector<double> mpre{0.0};
  mpre.insert(mpre.end(), precision.begin(), precision.end());
  mpre.push_back(0.0);
  // Precision envelope: the best precision at this recall or any higher one.
  for (size_t i = mpre.size() - 1; i-- > 0;) mpre[i] = std::max(mpre[i], mpre[i + 1]);
  double ap = 0;
  for (size_t i = 1; i < mrec.size(); ++i)
    if (mrec[i] != mrec[i - 1]) ap += (mrec[i] - mrec[i - 1]) * mpre[i];
  return ap;
}

double coco101PointAp(const std::vector<double>& recall, const std::vector<double>& precision) {
  if (recall.size() != precision.size())
    throw std::invalid_argument("coco101PointAp: recall and precision differ in length");
  std::vector<double> pr = precision;
  for (size_t i = pr.size(); i-- > 1;) pr[i - 1] = std::max(pr[i - 1], pr[i]);
  double sum = 0;
  for (int r = 0; r <= 100; ++r) {
    // np.linspace(0, 1, 101): i * (1 / 100), the last exactly 1.
    const double threshold = r == 100 ? 1.0 : r * (1.0 / 100.0);
    // searchsorted(recall, threshold, side='left'): the first recall >= threshold.
    const auto it = std::lower_bound(recall.begin(), recall.end(), threshold);
    if (it == recall.end()) break;
    sum += pr[static_cast<size_t>(it - recall.begin())];
  }
  return sum / 101.0;
}

EvaluationResult evaluate(const std::vector<std::vector<GroundTruthBox>>& groundTruth,
                          const std::vector<std::vector<Detection>>& detections, int numClasses,
                          const EvaluateOptions& options) {
  if (groundTruth.size() != detections.size())
    throw std::invalid_argument("evaluate: ground truth for " + std::to_string(groundTruth.size()) +
                                " images, detections for " + std::to_string(detections.size()));
  if (numClasses < 1)
    throw std::invalid_argument("evaluate: numClasses is " + std::to_string(numClasses));

  EvaluationResult result;
  result.images = static_cast<int>(groundTruth.size());
  result.operatingScore = options.operatingScore;
  const size_t images = groundTruth.size();

  // gtOf[c][i]: indices into groundTruth[i] of the boxes of class c; detsOf[c]: that class's
  // detections in image order, then index order (the order the tutorial appends them in).
  std::vector<std::vector<std::vector<int>>> gtOf(static_cast<size_t>(numClasses),
                                                  std::vector<std::vector<int>>(images));
  std::vector<std::vector<Ref>> detsOf(static_cast<size_t>(numClasses));
  for (size_t i = 0; i < images; ++i) {
    for (size_t g = 0; g < groundTruth[i].size(); ++g) {
      const int c = groundTruth[i][g].classId;
      checkClassId("evaluate", c, numClasses, i, "a ground-truth box");
      gtOf[static_cast<size_t>(c)][i].push_back(static_cast<int>(g));
      if (groundTruth[i][g].kind == Kind::object)
        ++result.groundTruthBoxes;
      else
        ++result.ignoredRegions;
    }
    for (size_t d = 0; d < detections[i].size(); ++d) {
      const int c = detections[i][d].classId;
      checkClassId("evaluate", c, numClasses, i, "a detection");
      detsOf[static_cast<size_t>(c)].push_back(
          {static_cast<int>(i), static_cast<int>(d), detections[i][d].score});
      ++result.detections;
    }
  }

  double sum50 = 0, sum50_95 = 0;
  for (int c = 0; c < numClasses; ++c) {
    ClassEvaluation ce;
    ce.classId = c;
    ce.name = static_cast<size_t>(c) < options.classNames.size()
                  ? options.classNames[static_cast<size_t>(c)]
                  : std::to_string(c);
    const auto& gt = gtOf[static_cast<size_t>(c)];
    for (size_t i = 0; i < images; ++i)
      for (int g : gt[i]) {
        if (groundTruth[i][static_cast<size_t>(g)].kind == Kind::object)
          ++ce.groundTruth;
        else
          ++ce.ignoredRegions;
      }

    std::vector<Ref>& dets = detsOf[static_cast<size_t>(c)];
    // Python's sort(reverse=True) is stable, as is this: equal scores keep image order.
    std::stable_sort(dets.begin(), dets.end(),
                     [](const Ref& a, const Ref& b) { return a.score > b.score; });
    ce.detections = static_cast<int>(dets.size());
    auto detectionOf = [&](const Ref& r) -> const Detection& {
      return detections[static_cast<size_t>(r.image)][static_cast<size_t>(r.index)];
    };
    auto truthOf = [&](const Ref& r, int g) -> const GroundTruthBox& {
      return groundTruth[static_cast<size_t>(r.image)][static_cast<size_t>(g)];
    };

    // VOC matching at IoU 0.5, as the devkit: the best-overlapping box among objects and
    // difficult ones decides; a match on a difficult box is ignored. A detection that would
    // be a false positive but lies inside a crowd region (COCO's rule) is ignored too.
    std::vector<std::vector<char>> used(images);
    for (size_t i = 0; i < images; ++i) used[i].assign(gt[i].size(), 0);
    std::vector<double> recall, precision;
    recall.reserve(dets.size());
    precision.reserve(dets.size());
    int tp = 0, counted = 0;
    for (const Ref& r : dets) {
      const Detection& d = detectionOf(r);
      const auto& candidates = gt[static_cast<size_t>(r.image)];
      const VocMatch best = bestVocMatch(d, groundTruth[static_cast<size_t>(r.image)], candidates);
      const double ovmax = best.overlap;
      const bool inCrowd = best.inCrowd;
      const int match = best.candidate;
      bool isTp = false, ignored = false;
      if (match >= 0 && ovmax >= kVocMinOverlap) {
        char& flag = used[static_cast<size_t>(r.image)][static_cast<size_t>(match)];
        if (truthOf(r, candidates[static_cast<size_t>(match)]).kind == Kind::difficult) {
          ignored = true;
        } else if (!flag) {
          flag = 1;
          isTp = true;
        }
      }
      if (!isTp && inCrowd) ignored = true;
      if (ignored) {
        ++ce.ignoredDetections;
        continue;
      }
      ++counted;
      tp += isTp ? 1 : 0;
      recall.push_back(ce.groundTruth > 0 ? static_cast<double>(tp) / ce.groundTruth : 0.0);
      precision.push_back(static_cast<double>(tp) / counted);
      if (r.score >= options.operatingScore) {
        ce.truePositives = tp;
        ce.falsePositives = counted - tp;
      }
      if (options.prCurves)
        ce.prCurve.push_back(
            {static_cast<float>(recall.back()), static_cast<float>(precision.back()), r.score});
    }
    const int operating = ce.truePositives + ce.falsePositives;
    ce.precision = operating > 0 ? static_cast<double>(ce.truePositives) / operating : 0.0;
    ce.recall = ce.groundTruth > 0 ? static_cast<double>(ce.truePositives) / ce.groundTruth : 0.0;

    if (ce.inMean()) {
      ce.ap50 = vocAllPointAp(recall, precision);

      // COCO: overlaps once (IoU, or for a crowd region the share of the detection inside
      // it), then greedy matching per threshold. Matching in the global score order is
      // COCO's per-image order too (both stable by score).
      std::vector<std::vector<double>> overlaps(dets.size());
      for (size_t k = 0; k < dets.size(); ++k) {
        const Detection& d = detectionOf(dets[k]);
        for (int g : gt[static_cast<size_t>(dets[k].image)]) {
          const GroundTruthBox& b = truthOf(dets[k], g);
          overlaps[k].push_back(b.kind == Kind::crowd
                                    ? coverage(d, b)
                                    : iouPlain(d.x1, d.y1, d.x2, d.y2, b.x1, b.y1, b.x2, b.y2));
        }
      }
      double apSum = 0;
      for (int t = 0; t < kCocoThresholds; ++t) {
        const double threshold = 0.5 + 0.05 * t;
        for (size_t i = 0; i < images; ++i) used[i].assign(gt[i].size(), 0);
        std::vector<double> rc, pr;
        int tps = 0, countedAtT = 0;
        for (size_t k = 0; k < dets.size(); ++k) {
          auto& flags = used[static_cast<size_t>(dets[k].image)];
          const auto& candidates = gt[static_cast<size_t>(dets[k].image)];
          // pycocotools: the best unmatched object first; failing that, the best unmatched
          // ignored box (a crowd region may take any number of detections).
          int match = -1;
          bool matchIgnored = false;
          for (const bool ignoredPass : {false, true}) {
            double best = std::min(threshold, 1 - 1e-10);
            for (size_t g = 0; g < candidates.size(); ++g) {
              const Kind kind = truthOf(dets[k], candidates[g]).kind;
              if ((kind != Kind::object) != ignoredPass) continue;
              if ((flags[g] && kind != Kind::crowd) || overlaps[k][g] < best) continue;
              best = overlaps[k][g];
              match = static_cast<int>(g);
            }
            if (match >= 0) {
              matchIgnored = ignoredPass;
              break;
            }
          }
          if (match >= 0) flags[static_cast<size_t>(match)] = 1;
          if (matchIgnored) continue;
          ++countedAtT;
          if (match >= 0) ++tps;
          rc.push_back(static_cast<double>(tps) / ce.groundTruth);
          pr.push_back(static_cast<double>(tps) / countedAtT);
        }
        apSum += coco101PointAp(rc, pr);
      }
      ce.ap50_95 = apSum / kCocoThresholds;
      sum50 += ce.ap50;
      sum50_95 += ce.ap50_95;
      ++result.classesInMean;
    }
    result.perClass.push_back(std::move(ce));
  }
  if (result.classesInMean > 0) {
    result.map50 = sum50 / result.classesInMean;
    result.map50_95 = sum50_95 / result.classesInMean;
  }
  return result;
}

}  // namespace yolo::eval
