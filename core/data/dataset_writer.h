#pragma once
// Writes a dataset in the formats users deploy or label with, so that `yolo-cli convert`
// takes a dataset read in any format (core/data/dataset_source.h) to any other:
//
//   tutorial  DIR/train/*, DIR/test/*, DIR/train.txt, DIR/test.txt, DIR/obj.names
//   yolo      Ultralytics' layout: DIR/images/{train,val}/*, DIR/labels/{train,val}/*.txt,
//             DIR/data.yaml (names as a list)
//   voc       DIR/JPEGImages/*, DIR/Annotations/*.xml (1-based inclusive pixels),
//             DIR/ImageSets/Main/{train,val}.txt
//   coco      DIR/{train,val}/*, DIR/annotations/instances_{train,val}.json (category ids
//             1..N in class order)
//
// Images keep their file names; a name used twice (train/000001.jpg and test/000001.jpg)
// gets a suffix in the formats that hold all images in one folder or need unique stems.
// VOC's difficult objects stay difficult in VOC and become plain objects elsewhere; COCO's
// crowd regions stay in COCO and are left out of the formats that cannot mark them.

#include <filesystem>
#include <string>
#include <vector>

#include "core/data/dataset_source.h"

namespace yolo::data {

/// The format names writeDataset() takes: "tutorial", "yolo", "voc", "coco".
std::vector<std::string> writableDatasetFormats();

/// Writes `dataset` (its train and validation splits, class names) as `format` into `out`,
/// which must not exist or be an empty folder. Images are hard-linked where the file system
/// allows (`linkImages`) and copied otherwise; label and list files are written atomically.
/// Throws std::invalid_argument for an unknown format, std::runtime_error naming the file
/// when an image cannot be read (its size is needed) or a file cannot be written.
void writeDataset(const DatasetSplits& dataset, const std::string& format,
                  const std::filesystem::path& out, bool linkImages = true);

}  // namespace yolo::data
