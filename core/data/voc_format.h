#pragma once
// Pascal VOC folders: Annotations/*.xml beside JPEGImages/. Read with a small tolerant XML
// reader (elements and text only; attributes, comments, processing instructions skipped).

#include <filesystem>
#include <string>
#include <vector>

#include "core/data/yolo_txt_format.h"

namespace yolo::data {

/// Imports `folder/Annotations/*.xml` (sorted by name). Each file's `<filename>` is looked up in
/// `folder/JPEGImages/`. Each `<object>` gives a box from `<name>` and `<bndbox>` with
/// `<xmin> <ymin> <xmax> <ymax>`, VOC's 1-based inclusive pixels, converted to ours as
/// x1 = xmin - 1, y1 = ymin - 1, x2 = xmax, y2 = ymax. `<difficult>1` objects are kept
/// as Box::Kind::difficult.
/// With `classNames` given, an unknown name is an issue; otherwise names are collected from
/// all files and sorted (digit names "0".."9" thus keep their ids). Malformed XML, missing
/// fields, non-numbers and empty boxes give issues naming file and line; the image is skipped.
ImportResult importVoc(const std::filesystem::path& folder,
                       const std::vector<std::string>& classNames = {});

}  // namespace yolo::data
