#pragma once
// Boxes and detections for the evaluation tests, written as their coordinates.

#include "core/data/box.h"
#include "core/infer/detector.h"

namespace yolo::test {

/// A ground-truth box, an object unless `kind` says otherwise.
inline data::Box objectBox(float x1, float y1, float x2, float y2, int classId,
                           data::Box::Kind kind = data::Box::Kind::object) {
  data::Box b{x1, y1, x2, y2, classId};
  b.kind = kind;
  return b;
}

/// A detection with its score and class.
inline infer::Detection scoredDetection(float x1, float y1, float x2, float y2, float score,
                                        int classId) {
  infer::Detection d;
  d.x1 = x1;
  d.y1 = y1;
  d.x2 = x2;
  d.y2 = y2;
  d.score = score;
  d.classId = classId;
  return d;
}

}  // namespace yolo::test
