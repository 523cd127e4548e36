#include "core/eval/error_analysis.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "core/eval/map.h"
#include "core/eval/voc_match.h"

namespace yolo::eval {

namespace {

using Kind = data::Box::Kind;

double iouOf(const infer::Detection& d, const data::Box& b) {
  return iouVoc(d.x1, d.y1, d.x2, d.y2, b.x1, b.y1, b.x2, b.y2);
}

/// The object (Kind::object) that overlaps `d` most among those of class `classId`
/// (`sameClass`) or of every other class; -1 when none overlaps.
int bestObject(const infer::Detection& d, const std::vector<data::Box>& truth, bool sameClass,
               double* iou) {
  int best = -1;
  *iou = 0;
  for (size_t g = 0; g < truth.size(); ++g) {
    const data::Box& b = truth[g];
    if (b.kind != Kind::object || (b.classId == d.classId) != sameClass) continue;
    const double overlap = iouOf(d, b);
    if (overlap > *iou) {
      *iou = overlap;
      best = static_cast<int>(g);
    }
  }
  return best;
}

}  // namespace

const char* toString(DetectionOutcome outcome) {
  switch (outcome) {
    case DetectionOutcome::kTruePositive:
      return "true_positive";
    case DetectionOutcome::kWrongClass:
      return "wrong_class";
    case DetectionOutcome::kDuplicate:
      return "duplicate";
    case DetectionOutcome::kPoorLocalisation:
      return "poor_localisation";
    case DetectionOutcome::kBackground:
      return "background";
    case DetectionOutcome::kIgnored:
      return "ignored";
  }
  return "?";
}

const char* toString(ObjectOutcome outcome) {
  switch (outcome) {
    case ObjectOutcome::kFound:
      return "found";
    case ObjectOutcome::kFoundAsOtherClass:
      return "found_as_other_class";
    case ObjectOutcome::kPoorlyLocated:
      return "poorly_located";
    case ObjectOutcome::kMissed:
      return "missed";
  }
  return "?";
}

int ImageErrors::errorCount() const {
  int n = 0;
  for (const auto& v : detections)
    n += v.outcome != DetectionOutcome::kTruePositive && v.outcome != DetectionOutcome::kIgnored;
  for (const auto& o : objects) n += o.outcome != ObjectOutcome::kFound;
  return n;
}

int ConfusionMatrix::at(int truth, int predicted) const {
  return counts.at(static_cast<size_t>(truth * (numClasses + 1) + predicted));
}

const std::vector<ConfusionMatrix::Case>& ConfusionMatrix::casesAt(int truth, int predicted) const {
  return cases.at(static_cast<size_t>(truth * (numClasses + 1) + predicted));
}

ErrorAnalysis analyseErrors(const std::vector<std::vector<data::Box>>& groundTruth,
                            const std::vector<std::vector<infer::Detection>>& detections,
                            int numClasses, const ErrorAnalysisOptions& options) {
  if (groundTruth.size() != detections.size())
    throw std::invalid_argument("analyseErrors: ground truth for " +
                                std::to_string(groundTruth.size()) + " images, detections for " +
                                std::to_string(detections.size()));
  if (numClasses < 1)
    throw std::invalid_argument("analyseErrors: numClasses is " + std::to_string(numClasses));
  ErrorAnalysis a;
  a.scoreThreshold = options.scoreThreshold;
  a.iouThreshold = options.iouThreshold;
  ConfusionMatrix& m = a.confusion;
  m.numClasses = numClasses;
  const size_t side = static_cast<size_t>(numClasses) + 1;
  m.counts.assign(side * side, 0);
  m.cases.assign(side * side, {});
  const auto count = [&](int truth, int predicted, ConfusionMatrix::Case c) {
    const size_t cell = static_cast<size_t>(truth) * side + static_cast<size_t>(predicted);
    ++m.counts[cell];
    m.cases[cell].push_back(c);
  };
  ErrorCounts& n = a.counts;

  for (size_t i = 0; i < groundTruth.size(); ++i) {
    const std::vector<data::Box>& truth = groundTruth[i];
    const std::vector<infer::Detection>& found = detections[i];
    std::vector<std::vector<int>> ofClass(static_cast<size_t>(numClasses));
    for (size_t g = 0; g < truth.size(); ++g) {
      checkClassId("analyseErrors", truth[g].classId, numClasses, i, "a ground-truth box");
      ofClass[static_cast<size_t>(truth[g].classId)].push_back(static_cast<int>(g));
    }
    std::vector<int> order;
    for (size_t d = 0; d < found.size(); ++d) {
      checkClassId("analyseErrors", found[d].classId, numClasses, i, "a detection");
      if (found[d].score >= options.scoreThreshold) order.push_back(static_cast<int>(d));
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return found[x].score > found[y].score; });

    ImageErrors image;
    image.image = static_cast<int>(i);
    std::vector<char> taken(truth.size(), 0);    // found by a true positive
    std::vector<int> partner(truth.size(), -1);  // its detection in the matrix
    std::vector<char> judged(order.size(), 0);
    std::vector<VocMatch> matches(order.size());
    image.detections.resize(order.size());

    // The mAP's VOC matching, in score order: true positives and ignored detections.
    for (size_t k = 0; k < order.size(); ++k) {
      const infer::Detection& d = found[static_cast<size_t>(order[k])];
      const std::vector<int>& candidates = ofClass[static_cast<size_t>(d.classId)];
      const VocMatch match = bestVocMatch(d, truth, candidates);
      matches[k] = match;
      DetectionVerdict& v = image.detections[k];
      v.detection = order[k];
      bool truePositive = false;
      if (match.candidate >= 0 && match.overlap >= options.iouThreshold) {
        const int g = candidates[static_cast<size_t>(match.candidate)];
        if (truth[static_cast<size_t>(g)].kind == Kind::difficult) {
          v.outcome = DetectionOutcome::kIgnored;
          judged[k] = 1;
        } else if (!taken[static_cast<size_t>(g)]) {
          taken[static_cast<size_t>(g)] = 1;
          partner[static_cast<size_t>(g)] = order[k];
          v = {order[k], DetectionOutcome::kTruePositive, g, match.overlap};
          count(d.classId, d.classId, {static_cast<int>(i), g, order[k]});
          truePositive = true;
          judged[k] = 1;
        }
      }
      if (!truePositive && match.inCrowd) {
        v = {order[k], DetectionOutcome::kIgnored, -1, 0};
        judged[k] = 1;
      }
    }

    // The false positives, by kind, in score order.
    for (size_t k = 0; k < order.size(); ++k) {
      if (judged[k]) continue;
      const infer::Detection& d = found[static_cast<size_t>(order[k])];
      DetectionVerdict& v = image.detections[k];
      const VocMatch& match = matches[k];
      double otherIou = 0, sameIou = 0;
      const int other = bestObject(d, truth, /*sameClass=*/false, &otherIou);
      const int same = bestObject(d, truth, /*sameClass=*/true, &sameIou);
      bool paired = false;
      if (match.candidate >= 0 && match.overlap >= options.iouThreshold) {
        const int g = ofClass[static_cast<size_t>(d.classId)][static_cast<size_t>(match.candidate)];
        v = {order[k], DetectionOutcome::kDuplicate, g, match.overlap};
      } else if (other >= 0 && otherIou >= options.iouThreshold) {
        v = {order[k], DetectionOutcome::kWrongClass, other, otherIou};
        if (partner[static_cast<size_t>(other)] < 0) {
          partner[static_cast<size_t>(other)] = order[k];
          count(truth[static_cast<size_t>(other)].classId, d.classId,
                {static_cast<int>(i), other, order[k]});
          paired = true;
        }
      } else if (same >= 0 && sameIou >= options.localisationMinIou) {
        v = {order[k], DetectionOutcome::kPoorLocalisation, same, sameIou};
      } else {
        v = {order[k], DetectionOutcome::kBackground, -1, 0};
      }
      if (!paired) count(numClasses, d.classId, {static_cast<int>(i), -1, order[k]});
    }

    // The objects: found, or what came nearest.
    for (size_t g = 0; g < truth.size(); ++g) {
      if (truth[g].kind != Kind::object) continue;
      ObjectVerdict o;
      o.object = static_cast<int>(g);
      if (taken[g]) {
        o.outcome = ObjectOutcome::kFound;
        o.detection = partner[g];
      } else {
        // The best-scoring wrong-class or poorly located detection on it, else missed.
        o.outcome = ObjectOutcome::kMissed;
        for (const DetectionVerdict& v : image.detections) {
          if (v.object != static_cast<int>(g)) continue;
          if (v.outcome == DetectionOutcome::kWrongClass) {
            o = {o.object, ObjectOutcome::kFoundAsOtherClass, v.detection};
            break;
          }
          if (v.outcome == DetectionOutcome::kPoorLocalisation &&
              o.outcome == ObjectOutcome::kMissed)
            o = {o.object, ObjectOutcome::kPoorlyLocated, v.detection};
        }
        if (partner[g] < 0)
          count(truth[g].classId, numClasses, {static_cast<int>(i), o.object, -1});
      }
      image.objects.push_back(o);
    }

    for (const DetectionVerdict& v : image.detections) {
      switch (v.outcome) {
        case DetectionOutcome::kTruePositive:
          ++n.truePositives;
          break;
        case DetectionOutcome::kWrongClass:
          ++n.wrongClass;
          break;
        case DetectionOutcome::kDuplicate:
          ++n.duplicates;
          break;
        case DetectionOutcome::kPoorLocalisation:
          ++n.poorLocalisation;
          break;
        case DetectionOutcome::kBackground:
          ++n.background;
          break;
        case DetectionOutcome::kIgnored:
          ++n.ignored;
          break;
      }
    }
    for (const ObjectVerdict& o : image.objects) {
      ++n.objects;
      n.foundAsOtherClass += o.outcome == ObjectOutcome::kFoundAsOtherClass;
      n.poorlyLocated += o.outcome == ObjectOutcome::kPoorlyLocated;
      n.missed += o.outcome == ObjectOutcome::kMissed;
    }
    a.images.push_back(std::move(image));
  }
  return a;
}

}  // namespace yolo::eval
