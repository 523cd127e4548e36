#pragma once
// The tutorial's annotation format, one image a line:
//   path/to/image.jpg x1,y1,x2,y2,class x1,y1,x2,y2,class ...
// Boxes are pixels with x2/y2 exclusive (see Box). The path may contain spaces: the path is
// everything before the first token (after the first) that starts like a number and holds
// a comma. Relative paths are relative to the annotation file's folder.

#include <filesystem>
#include <string>
#include <vector>

#include <opencv2/core/types.hpp>

#include "core/data/box.h"

namespace yolo::data {

/// Something wrong in a user's file; the sample it belongs to was skipped.
struct LoadIssue {
  std::filesystem::path file;  ///< the annotation (or label) file
  int line = 0;                ///< 1-based; 0 when not tied to a line
  std::string token;           ///< the offending text (a box token, a path, a value)
  std::string message;         ///< what was wrong / what was expected
};

/// "file:line: 'token': message", for logs and the GUI.
std::string toString(const LoadIssue& issue);

struct AnnotationLoadResult {
  std::vector<Sample> samples;    ///< the good lines, in file order
  std::vector<LoadIssue> issues;  ///< one or more per bad line
  int skippedLines = 0;           ///< lines dropped because of an issue
};

struct AnnotationReadOptions {
  /// > 0: a class id >= numClasses is an issue. 0: not checked (negative ids always are).
  int numClasses = 0;
  /// An image that does not exist is an issue.
  bool checkImagesExist = true;
  /// Reads each image's size from its file header (cheap) and flags boxes outside it.
  /// Boxes with negative coordinates are flagged in any case.
  bool checkBoxesInsideImage = false;
};

/// Reads an annotation file. Never throws on bad lines: each gives a LoadIssue (file, line,
/// token, what was wrong: malformed box, x2<=x1 or y2<=y1, box outside the image, class id
/// out of range, missing image) and its sample is skipped. Blank lines are ignored; a line
/// with a path and no boxes is a sample without boxes. Throws std::runtime_error naming the
/// file only when the annotation file itself cannot be read. Never modifies any file.
AnnotationLoadResult readAnnotationFile(const std::filesystem::path& file,
                                        const AnnotationReadOptions& options = {});

/// Parses one line (no newline). On success fills `sample` (path as written, unresolved) and
/// returns true; otherwise appends issues (with `file` and `lineNumber`) and returns false.
/// Class range, image existence and bounds are not checked here.
bool parseAnnotationLine(const std::string& line, const std::filesystem::path& file, int lineNumber,
                         Sample& sample, std::vector<LoadIssue>& issues);

/// Formats one sample as a line; image paths inside the annotation file's folder
/// (`baseDir`) are written relative to it, others absolute. Coordinates print as integers
/// when whole. Throws std::invalid_argument when the path cannot be written unambiguously
/// (a newline, leading/trailing spaces, or a later token that reads as a box).
std::string formatAnnotationLine(const Sample& sample, const std::filesystem::path& baseDir);

/// Writes all samples atomically (temporary file + rename): a crash leaves the old file.
void writeAnnotationFile(const std::filesystem::path& file, const std::vector<Sample>& samples);

}  // namespace yolo::data
