#pragma once
// Any dataset a user is likely to have, opened by one path with its format detected: the
// training and validation images with their boxes, the class names, and the problems found.
//
//   tutorial     a make-data folder (train.txt, test.txt, mnist.names / obj.names) or one
//                annotation file (`path x1,y1,x2,y2,class ...` a line)
//   darknet      obj.data (classes, train, valid, names), or a folder holding one; the lists
//                name images whose `.txt` labels sit beside them or under labels/
//   ultralytics  data.yaml (path, train, val, names as a list or a map), or a folder holding
//                one; images/{train,val} with labels/{train,val}
//   voc          a folder with Annotations/*.xml and JPEGImages/; the split from
//                ImageSets/Main/{train,val,trainval,test}.txt when present
//   coco         a COCO JSON file, or a folder with annotations/instances_{train,val}*.json
//                (or train/ and valid/ holding _annotations.coco.json, as exports do)
//   yolo-txt     any other folder of images with YOLO .txt labels and obj.names/classes.txt
//
// A dataset without a validation split gets one: a stated share of its images, chosen by
// image from a seed, the same every time for the same files, share and seed.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/annotation_file.h"
#include "core/data/box.h"

namespace yolo::data {

/// How a validation split is made when the dataset has none.
struct ValidationSplitRule {
  double share = 0.1;  ///< of the images (at least one image when there are two or more)
  uint64_t seed = 0;
};

struct DatasetSplits {
  std::string format;  ///< one of the names at the top of this file
  std::filesystem::path source;
  std::vector<std::string> classNames;
  std::vector<Sample> train, validation;
  bool validationMade = false;    ///< split off the training images by the rule
  double validationShare = 0;     ///< the rule's share, when validationMade
  std::vector<LoadIssue> issues;  ///< entries skipped, with file and line or element
  int skippedImages = 0;

  /// What was found, for the user: format, images and boxes per split, classes, problems.
  std::string summary() const;
};

/// The class names of a tutorial dataset in `folder`: its names file (mnist.names, obj.names,
/// classes.names or classes.txt), else the class ids seen in `samples` ("0", "1", ...).
/// Throws std::runtime_error naming the names file when it cannot be read.
std::vector<std::string> tutorialClassNames(const std::filesystem::path& folder,
                                            const std::vector<Sample>& samples);

/// The format of `path` (a name above). Throws std::runtime_error naming the path and what
/// was looked for when it is none of them, or does not exist.
std::string detectDatasetFormat(const std::filesystem::path& path);

/// Opens `path` in its format. Bad entries are issues, skipped and counted; throws
/// std::runtime_error naming the file when the dataset cannot be read at all (a missing
/// names file, malformed JSON or YAML, no image anywhere).
DatasetSplits openDatasetSplits(const std::filesystem::path& path,
                                const ValidationSplitRule& rule = {});

/// Splits `samples` into (kept, held out): round(share * n) images held out (at least one
/// when n >= 2 and share > 0), chosen by `seed`; both keep the input order.
std::pair<std::vector<Sample>, std::vector<Sample>> holdOut(const std::vector<Sample>& samples,
                                                            double share, uint64_t seed);

}  // namespace yolo::data
