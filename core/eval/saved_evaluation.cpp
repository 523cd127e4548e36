#include "core/eval/saved_evaluation.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <regex>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/util/atomic_file.h"
#include "core/util/json_numbers.h"

namespace yolo::eval {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kFormat = 1;

json toJson(const SavedEvaluation& e) {
  const EvaluationReport& r = e.report;
  json images = json::array();
  for (std::size_t i = 0; i < r.imagePaths.size(); ++i) {
    json boxes = json::array(), detections = json::array();
    for (const data::Box& b : r.groundTruth[i])
      boxes.push_back({b.x1, b.y1, b.x2, b.y2, b.classId, static_cast<int>(b.kind)});
    for (const infer::Detection& d : r.detections[i])
      detections.push_back({d.x1, d.y1, d.x2, d.y2, d.score, d.classId});
    images.push_back(
        {{"path", r.imagePaths[i].string()}, {"boxes", boxes}, {"detections", detections}});
  }
  return {{"format", kFormat},
          {"epoch", e.epoch},
          {"step", e.step},
          {"score_threshold", r.scoreThreshold},
          {"iou_threshold", r.iouThreshold},
          {"class_names", e.classNames},
          {"unreadable", r.result.unreadableImages},
          {"images", images}};
}

// An array of `size` numbers; throws naming `what`.
const json& numbers(const json& j, std::size_t size, const std::string& what) {
  if (!j.is_array() || j.size() != size)
    throw std::runtime_error(what + " is not an array of " + std::to_string(size) + " numbers");
  for (const json& v : j)
    if (!v.is_number()) throw std::runtime_error(what + " holds a value that is not a number");
  return j;
}

SavedEvaluation fromJson(const json& j) {
  if (!j.is_object()) throw std::runtime_error("not a JSON object");
  if (j.value("format", 0) != kFormat)
    throw std::runtime_error("format " + j.value("format", json()).dump() + " is not " +
                             std::to_string(kFormat));
  SavedEvaluation e;
  e.epoch = j.at("epoch").get<int>();
  e.step = j.at("step").get<int64_t>();
  EvaluationReport& r = e.report;
  r.scoreThreshold = j.at("score_threshold").get<float>();
  r.iouThreshold = j.at("iou_threshold").get<float>();
  e.classNames = j.at("class_names").get<std::vector<std::string>>();
  const json& images = j.at("images");
  if (!images.is_array()) throw std::runtime_error("images is not an array");
  for (const json& image : images) {
    const std::string where = "image " + std::to_string(r.imagePaths.size() + 1);
    r.imagePaths.emplace_back(image.at("path").get<std::string>());
    std::vector<data::Box>& boxes = r.groundTruth.emplace_back();
    for (const json& b : image.at("boxes")) {
      numbers(b, 6, where + ": a box");
      data::Box box{b[0].get<float>(), b[1].get<float>(), b[2].get<float>(), b[3].get<float>(),
                    b[4].get<int>()};
      const int kind = b[5].get<int>();
      if (kind < 0 || kind > 2) throw std::runtime_error(where + ": box kind " + b[5].dump());
      box.kind = static_cast<data::Box::Kind>(kind);
      boxes.push_back(box);
    }
    std::vector<infer::Detection>& detections = r.detections.emplace_back();
    for (const json& d : image.at("detections")) {
      numbers(d, 6, where + ": a detection");
      infer::Detection det;
      det.x1 = d[0].get<float>();
      det.y1 = d[1].get<float>();
      det.x2 = d[2].get<float>();
      det.y2 = d[3].get<float>();
      det.score = d[4].get<float>();
      det.classId = d[5].get<int>();
      if (det.classId >= 0 && det.classId < static_cast<int>(e.classNames.size()))
        det.className = e.classNames[static_cast<std::size_t>(det.classId)];
      detections.push_back(std::move(det));
    }
  }
  r.images = static_cast<int>(r.imagePaths.size());
  EvaluateOptions options;
  options.operatingScore = r.scoreThreshold;
  options.classNames = e.classNames;
  try {
    r.result =
        evaluate(r.groundTruth, r.detections, static_cast<int>(e.classNames.size()), options);
  } catch (const std::invalid_argument& ex) {
    throw std::runtime_error(ex.what());
  }
  r.result.unreadableImages = j.value("unreadable", std::vector<std::string>{});
  return e;
}

}  // namespace

fs::path savedEvaluationPath(const fs::path& runDir, int epoch) {
  char name[32];
  std::snprintf(name, sizeof name, "epoch-%04d.json", epoch);
  return runDir / "evaluations" / name;
}

std::vector<int> savedEvaluationEpochs(const fs::path& runDir) {
  std::vector<int> epochs;
  std::error_code ec;
  static const std::regex kName(R"(epoch-(\d{4,9})\.json)");
  for (const auto& entry : fs::directory_iterator(runDir / "evaluations", ec)) {
    std::smatch m;
    const std::string name = entry.path().filename().string();
    if (std::regex_match(name, m, kName)) epochs.push_back(std::stoi(m[1].str()));
  }
  std::sort(epochs.begin(), epochs.end());
  return epochs;
}

void saveEvaluation(const fs::path& file, const SavedEvaluation& evaluation) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  writeTextAtomically(file, toJson(evaluation).dump() + "\n");
}

SavedEvaluation loadEvaluation(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot be opened");
  try {
    return fromJson(json::parse(in, keepFloatsInIntRange));
  } catch (const std::exception& e) {
    throw std::runtime_error(file.string() + ": " + e.what());
  }
}

}  // namespace yolo::eval
