#pragma once
// YOLO / Darknet label folders: one `<image stem>.txt` per image, each line
//   class cx cy w h
// with the centre and size normalised to 0..1 by the image size. Class names come from
// obj.names or classes.txt.

#include <filesystem>
#include <string>
#include <vector>

#include "core/data/annotation_file.h"
#include "core/data/box.h"

namespace yolo::data {

/// What an importer found. Boxes are converted to pixels (see Box).
struct ImportResult {
  std::vector<Sample> samples;          ///< images with their boxes, sorted by path
  std::vector<std::string> classNames;  ///< from the names file, or discovered
  std::vector<LoadIssue> issues;        ///< bad lines/files; their images were skipped
  int skippedImages = 0;
};

/// Imports a YOLO txt folder. Images (.jpg .jpeg .png .bmp, searched recursively) find their
/// label file beside them (`a.jpg` -> `a.txt`) or in a sibling `labels/` folder when they sit
/// under `images/`. An image with no label file is a sample without boxes. Names come from
/// `folder/obj.names`, else `folder/classes.txt` (throws std::runtime_error naming the folder
/// when there is neither). Bad lines give issues naming file and line: wrong field count,
/// non-numbers, values outside 0..1, zero size, class id out of range; the image is skipped.
ImportResult importYoloTxt(const std::filesystem::path& folder);

/// The label file of `image`: `a.txt` beside `a.jpg`, else the `labels/` twin of an image
/// under `images/` (Darknet's and Ultralytics' layouts); empty when there is neither.
std::filesystem::path labelFileOf(const std::filesystem::path& image);

/// Reads one image's `labels` (empty: no label file, a background image) into `result`:
/// appends the sample and returns true, or records the issues, counts the image as skipped
/// and returns false (the checks of importYoloTxt()).
bool readYoloLabels(const std::filesystem::path& image, const std::filesystem::path& labels,
                    int numClasses, ImportResult& result);

/// The image files (.jpg .jpeg .png .bmp .webp) under `folder`, recursively, sorted; none
/// when it is not a folder.
std::vector<std::filesystem::path> imagesUnder(const std::filesystem::path& folder);

/// Writes one `<image stem>.txt` per sample into `labelDir` (created if needed), plus
/// `labelDir/classes.txt` and `labelDir/images.txt` (the absolute image paths, one a line, as
/// Darknet's train lists). Each image's size is read from its file. Throws
/// std::runtime_error naming the image when its size cannot be read, or when two samples
/// share a stem. Each file is written atomically.
void exportYoloTxt(const std::vector<Sample>& samples, const std::vector<std::string>& classNames,
                   const std::filesystem::path& labelDir);

/// The normalised `class cx cy w h` line of a box in an image of `imageSize`.
std::string toYoloLine(const Box& box, cv::Size imageSize);

}  // namespace yolo::data
