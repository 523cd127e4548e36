#include "core/data/dataset_writer.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/data/annotation_file.h"
#include "core/data/yolo_txt_format.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "core/util/image_file.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

struct Split {
  const std::vector<Sample>* samples;
  std::string name;  ///< the split's folder name in the format
};

/// File names for every image of both splits, unique across them: a repeated name gets
/// "_2", "_3", ... before its extension.
std::map<const Sample*, std::string> uniqueNames(const std::vector<Split>& splits) {
  std::map<const Sample*, std::string> names;
  std::set<std::string> used;
  for (const Split& split : splits) {
    for (const Sample& s : *split.samples) {
      std::string name = s.image.filename().string();
      for (int n = 2; used.count(name); ++n)
        name = s.image.stem().string() + "_" + std::to_string(n) + s.image.extension().string();
      used.insert(name);
      names[&s] = name;
    }
  }
  return names;
}

void placeImage(const fs::path& from, const fs::path& to, bool link) {
  fs::create_directories(to.parent_path());
  std::error_code ec;
  if (link) fs::create_hard_link(from, to, ec);
  if (!link || ec) {
    ec.clear();
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec)
      throw std::runtime_error(to.string() + ": cannot copy " + from.string() + ": " +
                               ec.message());
  }
}

cv::Size sizeOf(const Sample& s) {
  const cv::Size size = readImageSize(s.image);
  if (size.empty()) throw std::runtime_error(s.image.string() + ": cannot read the image size");
  return size;
}

/// The boxes a format without crowd regions can hold: all but Box::Kind::crowd.
std::vector<Box> withoutCrowdRegions(const std::vector<Box>& boxes) {
  std::vector<Box> kept;
  std::copy_if(boxes.begin(), boxes.end(), std::back_inserter(kept),
               [](const Box& b) { return b.kind != Box::Kind::crowd; });
  return kept;
}

std::string number(float v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string xmlEscape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void writeTutorial(const DatasetSplits& d, const fs::path& out, bool link) {
  const std::vector<Split> splits{{&d.train, "train"}, {&d.validation, "test"}};
  const auto names = uniqueNames(splits);
  for (const Split& split : splits) {
    std::vector<Sample> written;
    for (const Sample& s : *split.samples) {
      const fs::path image = out / split.name / names.at(&s);
      placeImage(s.image, image, link);
      written.push_back({image, withoutCrowdRegions(s.boxes)});
    }
    writeAnnotationFile(out / (split.name + ".txt"), written);
  }
  writeClassNames(out / "obj.names", d.classNames);
}

void writeYolo(const DatasetSplits& d, const fs::path& out, bool link) {
  const std::vector<Split> splits{{&d.train, "train"}, {&d.validation, "val"}};
  const auto names = uniqueNames(splits);
  for (const Split& split : splits) {
    fs::create_directories(out / "images" / split.name);
    fs::create_directories(out / "labels" / split.name);
    for (const Sample& s : *split.samples) {
      const fs::path image = out / "images" / split.name / names.at(&s);
      placeImage(s.image, image, link);
      const cv::Size size = sizeOf(s);
      std::string labels;
      for (const Box& b : withoutCrowdRegions(s.boxes)) labels += toYoloLine(b, size) + "\n";
      writeTextAtomically(out / "labels" / split.name / image.filename().replace_extension(".txt"),
                          labels);
    }
  }
  std::string yaml = "path: .\ntrain: images/train\nval: images/val\nnames:\n";
  for (const std::string& n : d.classNames) yaml += "  - " + nlohmann::json(n).dump() + "\n";
  writeTextAtomically(out / "data.yaml", yaml);
}

void writeVoc(const DatasetSplits& d, const fs::path& out, bool link) {
  const std::vector<Split> splits{{&d.train, "train"}, {&d.validation, "val"}};
  const auto names = uniqueNames(splits);
  fs::create_directories(out / "Annotations");
  fs::create_directories(out / "ImageSets" / "Main");
  for (const Split& split : splits) {
    std::string ids;
    for (const Sample& s : *split.samples) {
      const std::string name = names.at(&s);
      placeImage(s.image, out / "JPEGImages" / name, link);
      const cv::Size size = sizeOf(s);
      std::string xml = "<annotation>\n  <filename>" + xmlEscape(name) +
                        "</filename>\n  <size><width>" + std::to_string(size.width) +
                        "</width><height>" + std::to_string(size.height) +
                        "</height><depth>3</depth></size>\n";
      for (const Box& b : withoutCrowdRegions(s.boxes)) {
        const char* difficult = b.kind == Box::Kind::difficult ? "1" : "0";
        // VOC counts pixels from 1 and includes the last: xmin = x1 + 1, xmax = x2.
        xml += "  <object>\n    <name>" +
               xmlEscape(d.classNames.at(static_cast<size_t>(b.classId))) +
               "</name>\n    <difficult>" + difficult + "</difficult>\n    <bndbox><xmin>" +
               number(b.x1 + 1) + "</xmin><ymin>" + number(b.y1 + 1) + "</ymin><xmax>" +
               number(b.x2) + "</xmax><ymax>" + number(b.y2) + "</ymax></bndbox>\n  </object>\n";
      }
      const std::string stem = fs::path(name).stem().string();
      writeTextAtomically(out / "Annotations" / (stem + ".xml"), xml + "</annotation>\n");
      ids += stem + "\n";
    }
    writeTextAtomically(out / "ImageSets" / "Main" / (split.name + ".txt"), ids);
  }
}

void writeCoco(const DatasetSplits& d, const fs::path& out, bool link) {
  const std::vector<Split> splits{{&d.train, "train"}, {&d.validation, "val"}};
  const auto names = uniqueNames(splits);
  fs::create_directories(out / "annotations");
  nlohmann::json categories = nlohmann::json::array();
  for (std::size_t c = 0; c < d.classNames.size(); ++c)
    categories.push_back({{"id", c + 1}, {"name", d.classNames[c]}});
  for (const Split& split : splits) {
    nlohmann::json doc{{"images", nlohmann::json::array()},
                       {"annotations", nlohmann::json::array()},
                       {"categories", categories}};
    int imageId = 0, annotationId = 0;
    for (const Sample& s : *split.samples) {
      const std::string name = names.at(&s);
      placeImage(s.image, out / split.name / name, link);
      const cv::Size size = sizeOf(s);
      doc["images"].push_back(
          {{"id", ++imageId}, {"file_name", name}, {"width", size.width}, {"height", size.height}});
      for (const Box& b : s.boxes)
        doc["annotations"].push_back({{"id", ++annotationId},
                                      {"image_id", imageId},
                                      {"category_id", b.classId + 1},
                                      {"bbox", {b.x1, b.y1, b.width(), b.height()}},
                                      {"area", b.area()},
                                      {"iscrowd", b.kind == Box::Kind::crowd ? 1 : 0}});
    }
    writeTextAtomically(out / "annotations" / ("instances_" + split.name + ".json"), doc.dump());
  }
}

}  // namespace

std::vector<std::string> writableDatasetFormats() { return {"tutorial", "yolo", "voc", "coco"}; }

void writeDataset(const DatasetSplits& d, const std::string& format, const fs::path& out,
                  bool linkImages) {
  const auto formats = writableDatasetFormats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end())
    throw std::invalid_argument("cannot write datasets as '" + format +
                                "' (formats: tutorial, yolo, voc, coco)");
  if (fs::exists(out) && !(fs::is_directory(out) && fs::is_empty(out)))
    throw std::runtime_error(out.string() + ": exists and is not an empty folder; nothing written");
  fs::create_directories(out);
  if (format == "tutorial") writeTutorial(d, out, linkImages);
  if (format == "yolo") writeYolo(d, out, linkImages);
  if (format == "voc") writeVoc(d, out, linkImages);
  if (format == "coco") writeCoco(d, out, linkImages);
}

}  // namespace yolo::data
