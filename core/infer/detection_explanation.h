#pragma once
// Why a detection is there, and why nothing is elsewhere: each box traced back to the
// network output it came from (head, anchor, grid cell, raw objectness and class
// probabilities), its score before and after NMS, and the candidates NMS or the
// one-label-per-object rule removed in its favour. Torch-free: the Detect view shows these.

#include <string>
#include <vector>

#include "core/infer/detector.h"

namespace yolo::infer {

/// Where a candidate comes from in the network's output.
struct CandidateOrigin {
  int head = 0;    ///< output head, in the order of the network's strides (ascending)
  int stride = 0;  ///< network-input pixels per grid cell of that head
  int anchor = 0;  ///< index among the head's anchors
  float anchorWidth = 0, anchorHeight = 0;  ///< network-input pixels
  int cellX = 0, cellY = 0;                 ///< grid column and row
};

struct ClassProbability {
  int classId = 0;
  std::string className;
  float probability = 0;  ///< the class's own sigmoid, independent of the others
};

/// One row of the network's decoded output, in original-image pixels.
struct Candidate {
  Detection box;  ///< class = the most probable one; score = objectness x its probability
  float objectness = 0;
  std::vector<ClassProbability> topClasses;  ///< up to three, most probable first
  CandidateOrigin origin;
};

/// A candidate removed in a detection's favour.
struct SuppressedCandidate {
  enum class Why {
    kOverlap,  ///< per-class NMS: same class, IoU with the detection above the threshold
    kInside,   ///< one label per object: mostly inside the (better) detection's box
  };
  Candidate candidate;
  Why why = Why::kOverlap;
  float overlap = 0;  ///< kOverlap: the IoU; kInside: the share of its area inside
};

struct DetectionExplanation {
  Candidate candidate;      ///< the detection's own row; its score is the score before NMS
  float scoreAfterNms = 0;  ///< the detection's score (lower than before with soft-NMS)
  std::vector<SuppressedCandidate> suppressed;  ///< by descending score
};

}  // namespace yolo::infer
