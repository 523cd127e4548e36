#include "core/data/yolo_txt_format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "core/util/image_file.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

bool isImageFile(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".bmp" || ext == ".webp";
}

// a/images/x/b.jpg -> a/labels/x/b.txt (the layout of Ultralytics-style exports).
fs::path labelsFolderTwin(const fs::path& image) {
  std::vector<fs::path> parts(image.begin(), image.end());
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (*it == "images") {
      *it = "labels";
      fs::path out;
      for (const auto& part : parts) out /= part;
      return out.replace_extension(".txt");
    }
  }
  return {};
}

bool parseNumber(const std::string& text, double& value) {
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && std::isfinite(value);
}

}  // namespace

std::string toYoloLine(const Box& box, cv::Size imageSize) {
  const double w = imageSize.width;
  const double h = imageSize.height;
  char line[128];
  std::snprintf(line, sizeof line, "%d %.6f %.6f %.6f %.6f", box.classId,
                (box.x1 + box.x2) / 2.0 / w, (box.y1 + box.y2) / 2.0 / h, box.width() / w,
                box.height() / h);
  return line;
}

fs::path labelFileOf(const fs::path& image) {
  fs::path beside = fs::path(image).replace_extension(".txt");
  if (fs::is_regular_file(beside)) return beside;
  fs::path twin = labelsFolderTwin(image);
  return !twin.empty() && fs::is_regular_file(twin) ? twin : fs::path();
}

bool readYoloLabels(const fs::path& image, const fs::path& labels, int numClasses,
                    ImportResult& result) {
  Sample sample{image, {}};
  if (labels.empty() || !fs::is_regular_file(labels)) {
    result.samples.push_back(sample);  // no label file: a background image
    return true;
  }
  const cv::Size size = readImageSize(image);
  if (size.empty()) {
    result.issues.push_back({image, 0, "", "cannot read the image size"});
    ++result.skippedImages;
    return false;
  }
  std::ifstream in(labels, std::ios::binary);
  if (!in) {
    result.issues.push_back({labels, 0, "", "cannot open label file"});
    ++result.skippedImages;
    return false;
  }
  bool ok = true;
  std::string line;
  int lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    std::vector<std::string> fields;
    std::size_t i = 0;
    while (true) {
      i = line.find_first_not_of(" \t\r", i);
      if (i == std::string::npos) break;
      const std::size_t e = std::min(line.find_first_of(" \t\r", i), line.size());
      fields.push_back(line.substr(i, e - i));
      i = e;
    }
    if (fields.empty()) continue;
    auto issue = [&](const std::string& token, const std::string& message) {
      result.issues.push_back({labels, lineNumber, token, message});
      ok = false;
    };
    if (fields.size() != 5) {
      issue(line, "expected 'class cx cy w h' (5 fields), got " + std::to_string(fields.size()));
      continue;
    }
    double classValue = 0;
    if (!parseNumber(fields[0], classValue) || classValue != std::floor(classValue) ||
        classValue < 0) {
      issue(fields[0], "class id is not a non-negative integer");
      continue;
    }
    if (classValue >= numClasses) {
      issue(fields[0],
            "class id beyond the class names (" + std::to_string(numClasses) + " classes)");
      continue;
    }
    double v[4];
    bool numeric = true;
    for (int f = 0; f < 4 && numeric; ++f) {
      if (!parseNumber(fields[f + 1], v[f])) {
        issue(fields[f + 1], "not a number");
        numeric = false;
      } else if (v[f] < 0.0 || v[f] > 1.0) {
        issue(fields[f + 1], "outside 0..1 (values are normalised by the image size)");
        numeric = false;
      }
    }
    if (!numeric) continue;
    if (v[2] <= 0.0 || v[3] <= 0.0) {
      issue(line, "box has zero width or height");
      continue;
    }
    // Clip what rounding pushes just past an edge.
    Box box;
    box.classId = static_cast<int>(classValue);
    box.x1 = static_cast<float>(std::max(0.0, (v[0] - v[2] / 2) * size.width));
    box.y1 = static_cast<float>(std::max(0.0, (v[1] - v[3] / 2) * size.height));
    box.x2 = static_cast<float>(std::min(1.0 * size.width, (v[0] + v[2] / 2) * size.width));
    box.y2 = static_cast<float>(std::min(1.0 * size.height, (v[1] + v[3] / 2) * size.height));
    if (box.x2 <= box.x1 || box.y2 <= box.y1) {
      issue(line, "box lies outside the image");
      continue;
    }
    sample.boxes.push_back(box);
  }
  if (!ok) {
    ++result.skippedImages;
    return false;
  }
  result.samples.push_back(std::move(sample));
  return true;
}

ImportResult importYoloTxt(const fs::path& folder) {
  if (!fs::is_directory(folder))
    throw std::runtime_error(folder.string() + ": YOLO txt folder not found");
  ImportResult result;
  if (fs::is_regular_file(folder / "obj.names")) {
    result.classNames = readClassNames(folder / "obj.names");
  } else if (fs::is_regular_file(folder / "classes.txt")) {
    result.classNames = readClassNames(folder / "classes.txt");
  } else {
    throw std::runtime_error(folder.string() +
                             ": no class names (expected obj.names or classes.txt)");
  }
  const int numClasses = static_cast<int>(result.classNames.size());
  for (const fs::path& image : imagesUnder(folder))
    readYoloLabels(image, labelFileOf(image), numClasses, result);
  return result;
}

std::vector<fs::path> imagesUnder(const fs::path& folder) {
  std::vector<fs::path> images;
  if (!fs::is_directory(folder)) return images;
  for (const auto& entry :
       fs::recursive_directory_iterator(folder, fs::directory_options::skip_permission_denied)) {
    if (entry.is_regular_file() && isImageFile(entry.path())) images.push_back(entry.path());
  }
  std::sort(images.begin(), images.end());
  return images;
}

void exportYoloTxt(const std::vector<Sample>& samples, const std::vector<std::string>& classNames,
                   const fs::path& labelDir) {
  std::map<std::string, fs::path> stems;
  for (const Sample& sample : samples) {
    const auto [it, fresh] = stems.emplace(sample.image.stem().string(), sample.image);
    if (!fresh)
      throw std::runtime_error(sample.image.string() + ": has the same name as " +
                               it->second.string() + "; their label files would collide");
  }
  std::error_code ec;
  fs::create_directories(labelDir, ec);
  if (!fs::is_directory(labelDir))
    throw std::runtime_error(labelDir.string() + ": cannot create folder");

  std::string list;
  for (const Sample& sample : samples) {
    const cv::Size size = readImageSize(sample.image);
    if (size.empty())
      throw std::runtime_error(sample.image.string() + ": cannot read the image size");
    std::string text;
    for (const Box& box : sample.boxes) {
      if (box.classId < 0 || box.classId >= static_cast<int>(classNames.size()))
        throw std::runtime_error(sample.image.string() + ": class id " +
                                 std::to_string(box.classId) + " beyond the " +
                                 std::to_string(classNames.size()) + " class names");
      text += toYoloLine(box, size) + "\n";
    }
    writeTextAtomically(labelDir / (sample.image.stem().string() + ".txt"), text);
    list += fs::absolute(sample.image).lexically_normal().string() + "\n";
  }
  writeClassNames(labelDir / "classes.txt", classNames);
  writeTextAtomically(labelDir / "images.txt", list);
}

}  // namespace yolo::data
