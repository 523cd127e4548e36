#include "core/data/dataset_source.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>

#include <yaml-cpp/yaml.h>

#include "core/data/coco_format.h"
#include "core/data/voc_format.h"
#include "core/data/yolo_txt_format.h"
#include "core/util/class_names.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

/// The class-names file of a tutorial folder or beside an annotation file.
fs::path namesFileIn(const fs::path& folder) {
  for (const char* name : {"mnist.names", "obj.names", "classes.names", "classes.txt"})
    if (fs::is_regular_file(folder / name)) return folder / name;
  return {};
}

/// True when a line among the first thousand of `file` has a comma-separated token after
/// the image path (`x1,y1,x2,y2,class`, or a malformed attempt the reader then reports): a
/// tutorial annotation file rather than a list of image paths. Lines of a path alone (an
/// image without boxes) are allowed before it.
bool holdsAnnotationLines(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  for (int read = 0; read < 1000 && std::getline(in, line); ++read) {
    line = trim(line);
    const auto lastSpace = line.find_last_of(" \t");
    if (lastSpace != std::string::npos && line.find(',', lastSpace) != std::string::npos)
      return true;
  }
  return false;
}

/// A folder's COCO files: annotations/instances_*.json, or <split>/_annotations.coco.json.
struct CocoFiles {
  fs::path train, validation;
};
CocoFiles cocoFilesIn(const fs::path& folder) {
  CocoFiles files;
  if (fs::is_directory(folder / "annotations")) {
    for (const auto& e : fs::directory_iterator(folder / "annotations")) {
      const std::string name = e.path().filename().string();
      if (name.rfind("instances_train", 0) == 0 && e.path().extension() == ".json")
        files.train = e.path();
      if (name.rfind("instances_val", 0) == 0 && e.path().extension() == ".json")
        files.validation = e.path();
    }
  }
  if (files.train.empty() && fs::is_regular_file(folder / "train" / "_annotations.coco.json")) {
    files.train = folder / "train" / "_annotations.coco.json";
    for (const char* v : {"valid", "val"})
      if (fs::is_regular_file(folder / v / "_annotations.coco.json"))
        files.validation = folder / v / "_annotations.coco.json";
  }
  return files;
}

/// `relative` from a Darknet obj.data or list: Darknet resolves against the folder it runs
/// in, which is usually the parent of data/; tried beside `file`, then above it, then here.
fs::path resolveDarknetPath(const fs::path& file, const std::string& relative) {
  const fs::path p(relative);
  if (p.is_absolute()) return p;
  for (const fs::path& base : {file.parent_path(), file.parent_path().parent_path()})
    if (fs::exists(base / p)) return base / p;
  // Exports write `data/obj_train_data/x.jpg` where data/ is the export folder itself,
  // whatever it is called once unpacked.
  if (std::distance(p.begin(), p.end()) > 1) {
    const fs::path rest = p.lexically_relative(*p.begin());
    if (fs::exists(file.parent_path() / rest)) return file.parent_path() / rest;
  }
  return fs::absolute(p);
}

void addLabelled(const std::vector<fs::path>& images, int numClasses, ImportResult& into) {
  for (const fs::path& image : images) readYoloLabels(image, labelFileOf(image), numClasses, into);
}

void takeIssues(DatasetSplits& d, ImportResult& r) {
  d.issues.insert(d.issues.end(), r.issues.begin(), r.issues.end());
  d.skippedImages += r.skippedImages;
}

DatasetSplits openTutorial(const fs::path& path) {
  DatasetSplits d;
  const bool folder = fs::is_directory(path);
  const fs::path base = folder ? path : path.parent_path();
  const fs::path names = namesFileIn(base);
  AnnotationReadOptions options;
  if (!names.empty()) {
    d.classNames = readClassNames(names);
    options.numClasses = static_cast<int>(d.classNames.size());
  }
  auto read = [&](const fs::path& file) {
    AnnotationLoadResult r = readAnnotationFile(file, options);
    d.issues.insert(d.issues.end(), r.issues.begin(), r.issues.end());
    d.skippedImages += r.skippedLines;
    return std::move(r.samples);
  };
  if (!folder || fs::is_regular_file(path / "train.txt"))
    d.train = read(folder ? path / "train.txt" : path);
  if (folder && fs::is_regular_file(path / "test.txt")) d.validation = read(path / "test.txt");
  if (names.empty()) {
    std::vector<Sample> all = d.train;
    all.insert(all.end(), d.validation.begin(), d.validation.end());
    d.classNames = tutorialClassNames(base, all);
  }
  return d;
}

DatasetSplits openDarknet(const fs::path& dataFile) {
  std::ifstream in(dataFile);
  if (!in) throw std::runtime_error(dataFile.string() + ": cannot open");
  std::map<std::string, std::string> keys;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line.substr(0, line.find('#')));
    const auto eq = line.find('=');
    if (eq != std::string::npos) keys[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  if (!keys.count("train") || !keys.count("names"))
    throw std::runtime_error(dataFile.string() + ": needs 'train = ...' and 'names = ...' lines");
  DatasetSplits d;
  d.classNames = readClassNames(resolveDarknetPath(dataFile, keys["names"]));
  const int numClasses = static_cast<int>(d.classNames.size());
  auto readList = [&](const std::string& listName) {
    const fs::path list = resolveDarknetPath(dataFile, listName);
    std::ifstream listIn(list);
    if (!listIn) throw std::runtime_error(list.string() + ": cannot open the image list");
    std::vector<fs::path> images;
    std::string entry;
    int lineNumber = 0;
    while (std::getline(listIn, entry)) {
      ++lineNumber;
      entry = trim(entry);
      if (entry.empty()) continue;
      const fs::path image = resolveDarknetPath(list, entry);
      if (!fs::is_regular_file(image)) {
        d.issues.push_back({list, lineNumber, entry, "image file not found"});
        ++d.skippedImages;
        continue;
      }
      images.push_back(image);
    }
    ImportResult r;
    addLabelled(images, numClasses, r);
    takeIssues(d, r);
    return std::move(r.samples);
  };
  d.train = readList(keys["train"]);
  if (keys.count("valid") && !keys["valid"].empty()) d.validation = readList(keys["valid"]);
  return d;
}

DatasetSplits openUltralytics(const fs::path& yamlFile) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(yamlFile.string());
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(yamlFile.string() + ": not valid YAML: " + e.what());
  }
  if (!doc.IsMap() || !doc["train"] || !doc["names"])
    throw std::runtime_error(yamlFile.string() + ": needs 'train' and 'names' keys");
  fs::path root = yamlFile.parent_path();
  if (doc["path"] && doc["path"].IsScalar()) {
    const fs::path p(doc["path"].as<std::string>());
    root = p.is_absolute() ? p : yamlFile.parent_path() / p;
  }
  DatasetSplits d;
  const YAML::Node names = doc["names"];
  if (names.IsSequence()) {
    for (const auto& n : names) d.classNames.push_back(n.as<std::string>());
  } else if (names.IsMap()) {  // {0: person, 1: bicycle}: ids in order, gaps named by number
    std::map<int, std::string> byId;
    for (const auto& kv : names) byId[kv.first.as<int>()] = kv.second.as<std::string>();
    const int last = byId.empty() ? -1 : byId.rbegin()->first;
    for (int i = 0; i <= last; ++i)
      d.classNames.push_back(byId.count(i) ? byId[i] : std::to_string(i));
  }
  if (d.classNames.empty())
    throw std::runtime_error(yamlFile.string() + ": 'names' lists no class");
  const int numClasses = static_cast<int>(d.classNames.size());
  // A split is a folder of images, a .txt listing images, or a list of either.
  auto readSplit = [&](const YAML::Node& node) {
    std::vector<fs::path> images;
    auto add = [&](const std::string& entry) {
      fs::path p = fs::path(entry).is_absolute() ? fs::path(entry) : root / entry;
      // Roboflow's exports say `../train/images` from a data.yaml that sits beside train/;
      // Ultralytics retries such paths without the `../`, and so does this reader.
      if (!fs::exists(p) && entry.rfind("../", 0) == 0) p = root / entry.substr(3);
      if (fs::is_directory(p)) {
        const auto found = imagesUnder(p);
        images.insert(images.end(), found.begin(), found.end());
      } else if (fs::is_regular_file(p) && lower(p.extension().string()) == ".txt") {
        std::ifstream listIn(p);
        std::string line;
        int lineNumber = 0;
        while (std::getline(listIn, line)) {
          ++lineNumber;
          if (trim(line).empty()) continue;
          const fs::path image = resolveDarknetPath(p, trim(line));
          if (!fs::is_regular_file(image)) {
            d.issues.push_back({p, lineNumber, trim(line), "image file not found"});
            ++d.skippedImages;
            continue;
          }
          images.push_back(image);
        }
      } else {
        d.issues.push_back({yamlFile, 0, entry, "no such image folder or list"});
      }
    };
    if (node.IsSequence()) {
      for (const auto& n : node) add(n.as<std::string>());
    } else if (node.IsScalar()) {
      add(node.as<std::string>());
    }
    ImportResult r;
    addLabelled(images, numClasses, r);
    takeIssues(d, r);
    return std::move(r.samples);
  };
  d.train = readSplit(doc["train"]);
  if (doc["val"]) d.validation = readSplit(doc["val"]);
  return d;
}

DatasetSplits openVoc(const fs::path& folder) {
  ImportResult all = importVoc(folder);
  DatasetSplits d;
  d.classNames = all.classNames;
  takeIssues(d, all);
  const fs::path sets = folder / "ImageSets" / "Main";
  auto idsIn = [&](std::initializer_list<const char*> candidates) {
    std::vector<std::string> ids;
    for (const char* name : candidates) {
      std::ifstream in(sets / name);
      if (!in) continue;
      std::string line;
      while (std::getline(in, line))
        if (!trim(line).empty())
          ids.push_back(trim(line).substr(0, trim(line).find_first_of(" \t")));
      return ids;
    }
    return ids;
  };
  const std::vector<std::string> trainIds = idsIn({"train.txt", "trainval.txt"});
  const std::vector<std::string> valIds = idsIn({"val.txt", "test.txt"});
  if (trainIds.empty()) {
    d.train = std::move(all.samples);
    return d;
  }
  std::map<std::string, const Sample*> byId;
  for (const Sample& s : all.samples) byId[s.image.stem().string()] = &s;
  auto pick = [&](const std::vector<std::string>& ids) {
    std::vector<Sample> out;
    for (const std::string& id : ids)
      if (const auto it = byId.find(id); it != byId.end()) out.push_back(*it->second);
    return out;
  };
  d.train = pick(trainIds);
  d.validation = pick(valIds);
  return d;
}

DatasetSplits openCoco(const fs::path& path) {
  DatasetSplits d;
  const CocoFiles files = fs::is_directory(path) ? cocoFilesIn(path) : CocoFiles{path, fs::path()};
  ImportResult train = importCoco(files.train);
  d.classNames = train.classNames;
  takeIssues(d, train);
  d.train = std::move(train.samples);
  if (!files.validation.empty()) {
    ImportResult val = importCoco(files.validation, d.classNames);
    takeIssues(d, val);
    d.validation = std::move(val.samples);
  }
  return d;
}

int boxesIn(const std::vector<Sample>& samples) {
  int n = 0;
  for (const Sample& s : samples) n += static_cast<int>(s.boxes.size());
  return n;
}

}  // namespace

std::vector<std::string> tutorialClassNames(const fs::path& folder,
                                            const std::vector<Sample>& samples) {
  if (const fs::path names = namesFileIn(folder); !names.empty()) return readClassNames(names);
  int maxId = -1;
  for (const Sample& s : samples)
    for (const Box& b : s.boxes) maxId = std::max(maxId, b.classId);
  std::vector<std::string> ids;
  for (int i = 0; i <= maxId; ++i) ids.push_back(std::to_string(i));
  return ids;
}

std::string detectDatasetFormat(const fs::path& path) {
  if (fs::is_regular_file(path)) {
    const std::string ext = lower(path.extension().string());
    if (ext == ".yaml" || ext == ".yml") return "ultralytics";
    if (ext == ".data") return "darknet";
    if (ext == ".json") return "coco";
    if (holdsAnnotationLines(path)) return "tutorial";
    throw std::runtime_error(
        "'" + path.string() +
        "': not an annotation file (no line `image x1,y1,x2,y2,class ...` among its first "
        "thousand) nor a dataset file (data.yaml, obj.data, COCO .json)");
  }
  if (!fs::is_directory(path))
    throw std::runtime_error("dataset '" + path.string() + "' does not exist");
  if (fs::is_regular_file(path / "obj.data")) return "darknet";
  if (fs::is_regular_file(path / "data.yaml")) return "ultralytics";
  for (const char* split : {"train.txt", "test.txt"})
    if (fs::is_regular_file(path / split) && holdsAnnotationLines(path / split)) return "tutorial";
  if (fs::is_directory(path / "Annotations")) return "voc";
  if (!cocoFilesIn(path).train.empty()) return "coco";
  if (fs::is_regular_file(path / "obj.names") || fs::is_regular_file(path / "classes.txt"))
    return "yolo-txt";
  throw std::runtime_error(
      "dataset '" + path.string() +
      "': not a format this program reads (looked for train.txt with annotation lines, "
      "obj.data, data.yaml, Annotations/, annotations/instances_*.json, or obj.names / "
      "classes.txt beside YOLO labels)");
}

DatasetSplits openDatasetSplits(const fs::path& path, const ValidationSplitRule& rule) {
  const std::string format = detectDatasetFormat(path);
  DatasetSplits d;
  if (format == "tutorial") {
    d = openTutorial(path);
  } else if (format == "darknet") {
    d = openDarknet(fs::is_directory(path) ? path / "obj.data" : path);
  } else if (format == "ultralytics") {
    d = openUltralytics(fs::is_directory(path) ? path / "data.yaml" : path);
  } else if (format == "voc") {
    d = openVoc(path);
  } else if (format == "coco") {
    d = openCoco(path);
  } else {
    ImportResult r = importYoloTxt(path);
    d.classNames = r.classNames;
    takeIssues(d, r);
    d.train = std::move(r.samples);
  }
  d.format = format;
  d.source = path;
  if (d.train.empty() && d.validation.empty())
    throw std::runtime_error(
        "dataset '" + path.string() + "' (" + format + "): no usable image" +
        (d.issues.empty() ? std::string() : "; first problem: " + toString(d.issues.front())));
  if (d.validation.empty() && rule.share > 0) {
    auto [kept, heldOut] = holdOut(d.train, rule.share, rule.seed);
    d.train = std::move(kept);
    d.validation = std::move(heldOut);
    d.validationMade = true;
    d.validationShare = rule.share;
  }
  return d;
}

std::pair<std::vector<Sample>, std::vector<Sample>> holdOut(const std::vector<Sample>& samples,
                                                            double share, uint64_t seed) {
  const std::size_t n = samples.size();
  std::size_t count = 0;
  if (!(share > 0) || n < 2) {
    count = 0;
  } else {
    count = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::llround(std::min(share, 1.0) * static_cast<double>(n))), 1,
        n - 1);
  }
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  // A fixed generator and Fisher-Yates by hand: std::shuffle's result may differ between
  // standard libraries, and the split must be the same wherever the run resumes.
  std::mt19937_64 random(seed ^ 0x9e3779b97f4a7c15ULL);
  for (std::size_t i = n; i > 1; --i) std::swap(order[i - 1], order[random() % i]);
  std::vector<bool> held(n, false);
  for (std::size_t i = 0; i < count; ++i) held[order[i]] = true;
  std::pair<std::vector<Sample>, std::vector<Sample>> out;
  for (std::size_t i = 0; i < n; ++i) (held[i] ? out.second : out.first).push_back(samples[i]);
  return out;
}

std::string DatasetSplits::summary() const {
  std::ostringstream s;
  s << "dataset: " << format << " (" << source.string() << ")\n";
  s << "  train: " << train.size() << " images, " << boxesIn(train) << " boxes\n";
  s << "  validation: " << validation.size() << " images, " << boxesIn(validation) << " boxes";
  if (validationMade)
    s << " (" << std::llround(validationShare * 100) << "% of the images, held out by the seed)";
  s << "\n  classes: " << classNames.size();
  for (std::size_t i = 0; i < classNames.size() && i < 12; ++i)
    s << (i == 0 ? " (" : ", ") << classNames[i];
  if (!classNames.empty()) s << (classNames.size() > 12 ? ", ...)" : ")");
  if (!issues.empty())
    s << "\n  problems: " << issues.size() << " (" << skippedImages
      << " images skipped); first: " << toString(issues.front());
  return s.str();
}

}  // namespace yolo::data
