#include "core/data/coco_format.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/util/json_numbers.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

/// "train2017" from "instances_train2017.json"; the stem otherwise.
std::string splitNameOf(const fs::path& jsonFile) {
  const std::string stem = jsonFile.stem().string();
  const std::string prefix = "instances_";
  return stem.rfind(prefix, 0) == 0 ? stem.substr(prefix.size()) : stem;
}

fs::path findImage(const fs::path& jsonFile, const std::string& fileName) {
  const fs::path here = jsonFile.parent_path();
  const fs::path up = here.parent_path();
  const std::string split = splitNameOf(jsonFile);
  for (const fs::path& candidate : {here / fileName, up / "images" / split / fileName,
                                    up / split / fileName, up / "images" / fileName}) {
    if (fs::is_regular_file(candidate)) return candidate;
  }
  return {};
}

double numberOr(const nlohmann::json& object, const char* key, double fallback) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

}  // namespace

ImportResult importCoco(const fs::path& jsonFile, const std::vector<std::string>& classNames) {
  std::ifstream in(jsonFile, std::ios::binary);
  if (!in) throw std::runtime_error(jsonFile.string() + ": cannot open the COCO file");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(in, keepFloatsInIntRange);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(jsonFile.string() + ": not valid JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("images") || !doc.contains("annotations") ||
      !doc["images"].is_array() || !doc["annotations"].is_array())
    throw std::runtime_error(jsonFile.string() +
                             ": not COCO detection annotations (no \"images\" and "
                             "\"annotations\" arrays)");

  ImportResult result;
  // Categories: ids in increasing order become 0..N-1, or follow the given names.
  std::map<long long, std::string> categories;
  if (doc.contains("categories") && doc["categories"].is_array()) {
    for (const auto& c : doc["categories"]) {
      if (!c.is_object() || !c.contains("id") || !c["id"].is_number_integer()) continue;
      categories[c["id"].get<long long>()] = c.contains("name") && c["name"].is_string()
                                                 ? c["name"].get<std::string>()
                                                 : std::to_string(c["id"].get<long long>());
    }
  }
  std::map<long long, int> classOf;
  if (classNames.empty()) {
    for (const auto& [id, name] : categories) {
      classOf[id] = static_cast<int>(result.classNames.size());
      result.classNames.push_back(name);
    }
  } else {
    result.classNames = classNames;
    for (const auto& [id, name] : categories) {
      const auto it = std::find(classNames.begin(), classNames.end(), name);
      if (it != classNames.end()) classOf[id] = static_cast<int>(it - classNames.begin());
    }
  }

  struct ImageEntry {
    fs::path path;
    double width = 0, height = 0;
    std::vector<Box> boxes;
    bool bad = false;
  };
  std::map<long long, ImageEntry> images;
  std::set<long long> listed;  ///< every image id of "images", found on disk or not
  for (const auto& im : doc["images"]) {
    if (!im.is_object() || !im.contains("id") || !im["id"].is_number_integer() ||
        !im.contains("file_name") || !im["file_name"].is_string()) {
      result.issues.push_back({jsonFile, 0, im.dump().substr(0, 80),
                               "image entry without an integer id and a file_name"});
      continue;
    }
    listed.insert(im["id"].get<long long>());
    const std::string name = im["file_name"].get<std::string>();
    const fs::path path = findImage(jsonFile, name);
    if (path.empty()) {
      result.issues.push_back({jsonFile, 0, name, "image file not found"});
      ++result.skippedImages;
      continue;
    }
    ImageEntry entry;
    entry.path = path;
    entry.width = numberOr(im, "width", 0);
    entry.height = numberOr(im, "height", 0);
    images[im["id"].get<long long>()] = std::move(entry);
  }

  for (const auto& a : doc["annotations"]) {
    const std::string id =
        a.is_object() && a.contains("id") ? a["id"].dump() : std::string("(no id)");
    auto issue = [&](const std::string& message) {
      result.issues.push_back({jsonFile, 0, "annotation " + id, message});
    };
    if (!a.is_object() || !a.contains("image_id") || !a["image_id"].is_number_integer()) {
      issue("no integer image_id");
      continue;
    }
    const auto image = images.find(a["image_id"].get<long long>());
    if (image == images.end()) {
      // An image file not found is reported above; an id no image has is reported here.
      if (!listed.count(a["image_id"].get<long long>()))
        issue("image_id " + a["image_id"].dump() + " is not among the images");
      continue;
    }
    const auto category = a.contains("category_id") && a["category_id"].is_number_integer()
                              ? classOf.find(a["category_id"].get<long long>())
                              : classOf.end();
    if (category == classOf.end()) {
      issue("category_id " + (a.contains("category_id") ? a["category_id"].dump() : "missing") +
            " is not among the categories");
      image->second.bad = true;
      continue;
    }
    const auto& bbox = a.contains("bbox") ? a["bbox"] : nlohmann::json();
    if (!bbox.is_array() || bbox.size() != 4 ||
        !std::all_of(bbox.begin(), bbox.end(), [](const auto& v) { return v.is_number(); })) {
      issue("bbox is not [x, y, width, height]");
      image->second.bad = true;
      continue;
    }
    Box box;
    box.x1 = bbox[0].get<float>();
    box.y1 = bbox[1].get<float>();
    box.x2 = box.x1 + bbox[2].get<float>();
    box.y2 = box.y1 + bbox[3].get<float>();
    box.classId = category->second;
    if (numberOr(a, "iscrowd", 0) != 0) box.kind = Box::Kind::crowd;
    const ImageEntry& entry = image->second;
    if (!(box.x2 > box.x1 && box.y2 > box.y1)) {
      issue("box has zero width or height");
      image->second.bad = true;
      continue;
    }
    // Clip what rounding pushes past an edge (the far edges only when the size is given).
    box.x1 = std::max(0.f, box.x1);
    box.y1 = std::max(0.f, box.y1);
    if (entry.width > 0 && entry.height > 0) {
      box.x2 = std::min(static_cast<float>(entry.width), box.x2);
      box.y2 = std::min(static_cast<float>(entry.height), box.y2);
    }
    if (!(box.x2 > box.x1 && box.y2 > box.y1)) {
      issue("box lies outside the image");
      image->second.bad = true;
      continue;
    }
    image->second.boxes.push_back(box);
  }

  for (auto& [id, entry] : images) {
    if (entry.bad) {
      ++result.skippedImages;
      continue;
    }
    result.samples.push_back({entry.path, std::move(entry.boxes)});
  }
  std::sort(result.samples.begin(), result.samples.end(),
            [](const Sample& a, const Sample& b) { return a.image < b.image; });
  return result;
}

}  // namespace yolo::data
