#pragma once
// COCO detection annotations (instances_*.json, and the _annotations.coco.json of labelling
// tools' exports): "images" with id and file_name, "annotations" with image_id, bbox
// [x, y, width, height] in pixels, category_id and iscrowd, "categories" with id and name.

#include <filesystem>
#include <string>
#include <vector>

#include "core/data/yolo_txt_format.h"

namespace yolo::data {

/// Imports a COCO JSON file. Category ids (any integers, not necessarily contiguous) are
/// mapped to 0..N-1 in increasing id order and their names kept, or mapped with
/// `classNames` (by name) when given, so a validation file shares the training file's ids.
/// An image's file_name is looked up beside the JSON file, in `../images/<split>/` and
/// `../<split>/` (instances_<split>.json, COCO's own layout) and in `../images/`; an image
/// found nowhere is an issue. iscrowd regions are kept as Box::Kind::crowd: not objects to
/// find or to learn, but places where a detection is not a false positive.
/// Malformed JSON throws std::runtime_error naming the file; a bad annotation (unknown image
/// or category, a box of no size or outside the image) is an issue naming the file and the
/// annotation id, and its image is skipped.
ImportResult importCoco(const std::filesystem::path& jsonFile,
                        const std::vector<std::string>& classNames = {});

}  // namespace yolo::data
