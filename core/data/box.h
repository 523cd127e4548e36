#pragma once
// The one box type of the data layer: what an annotation line says about an object.

#include <cstdint>
#include <filesystem>
#include <vector>

namespace yolo::data {

/// An axis-aligned box in image pixels, as written in annotation files: (x1, y1) is the
/// top-left corner, (x2, y2) the bottom-right *exclusive* edge, so a digit pasted at x1
/// with side s has x2 = x1 + s and width x2 - x1 = s. A valid box has x2 > x1, y2 > y1.
/// `classId` indexes the class-name list (for the digit sets, the digit 0..9).
/// `kind` says how the evaluator counts the box (see BoxKind).
struct Box {
  /// VOC marks hard objects `<difficult>1`, COCO marks regions of many objects `iscrowd`.
  /// The evaluator counts neither as an object to find, and a detection on one is neither a
  /// true nor a false positive (as VOC's devkit and pycocotools do). Training learns
  /// difficult objects like any other (they are objects) and leaves crowd regions out
  /// (their box is not one object's). Writers of formats without the notion keep difficult
  /// objects as plain ones and leave crowd regions out.
  enum class Kind : std::uint8_t { object, difficult, crowd };

  float x1 = 0.f;
  float y1 = 0.f;
  float x2 = 0.f;
  float y2 = 0.f;
  int classId = 0;
  Kind kind = Kind::object;

  float width() const { return x2 - x1; }
  float height() const { return y2 - y1; }
  float area() const { return width() * height(); }
};

inline bool operator==(const Box& a, const Box& b) {
  return a.x1 == b.x1 && a.y1 == b.y1 && a.x2 == b.x2 && a.y2 == b.y2 && a.classId == b.classId &&
         a.kind == b.kind;
}
inline bool operator!=(const Box& a, const Box& b) { return !(a == b); }

/// One annotated image. `image` is absolute, or relative to the current directory when
/// the annotation file was given by a relative path (readers resolve it against the
/// annotation file's folder). `boxes` may be empty (a background-only image).
struct Sample {
  std::filesystem::path image;
  std::vector<Box> boxes;
};

}  // namespace yolo::data
