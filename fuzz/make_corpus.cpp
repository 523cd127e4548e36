// Writes the seed corpora of the fuzz targets: small valid files of each format, made by
// the program's own writers (so they follow the formats as they change), into
// OUT/<target>/, and a dictionary OUT/<target>.dict of the keys of each JSON format.
// usage: make_corpus OUT

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/data/digit_source.h"
#include "core/data/generator.h"
#include "core/eval/saved_evaluation.h"
#include "core/model/darknet_cfg.h"
#include "core/run/checkpoint_header.h"
#include "core/run/run_config.h"
#include "core/train/metrics_records.h"
#include "core/util/atomic_file.h"

namespace fs = std::filesystem;
using namespace yolo;

namespace {

void seed(const fs::path& out, const std::string& target, const std::string& name,
          const std::string& bytes) {
  fs::create_directories(out / target);
  std::ofstream(out / target / name, std::ios::binary) << bytes;
}

std::string bytesOf(const std::vector<unsigned char>& v) { return std::string(v.begin(), v.end()); }

// Every object key in `j`, for a libFuzzer dictionary ("key" entries, quoted as JSON has them).
void collectKeys(const nlohmann::json& j, std::set<std::string>& keys) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      keys.insert(key);
      collectKeys(value, keys);
    }
  } else if (j.is_array()) {
    for (const auto& value : j) collectKeys(value, keys);
  }
}

void writeDictionary(const fs::path& file, const std::vector<std::string>& jsonTexts) {
  std::set<std::string> keys;
  for (const auto& text : jsonTexts) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line))
      if (auto j = nlohmann::json::parse(line, nullptr, false); !j.is_discarded())
        collectKeys(j, keys);
    if (auto j = nlohmann::json::parse(text, nullptr, false); !j.is_discarded())
      collectKeys(j, keys);
  }
  std::ofstream out(file);
  for (const auto& key : keys) out << "\"\\\"" << key << "\\\"\"\n";
}

std::string idxImages(int count) {
  std::string bytes = {0, 0, 8, 3, 0, 0, 0, static_cast<char>(count), 0, 0, 0, 28, 0, 0, 0, 28};
  for (int i = 0; i < count * 28 * 28; ++i) bytes += static_cast<char>((i * 7) % 256);
  return bytes;
}

std::string idxLabels(int count) {
  std::string bytes = {0, 0, 8, 1, 0, 0, 0, static_cast<char>(count)};
  for (int i = 0; i < count; ++i) bytes += static_cast<char>(i % 10);
  return bytes;
}

// The mnist_idx target's input: 4 bytes of where the images end, images, labels.
std::string idxPair(const std::string& images, const std::string& labels) {
  const auto n = static_cast<uint32_t>(images.size());
  std::string head = {static_cast<char>(n & 0xFF), static_cast<char>((n >> 8) & 0xFF),
                      static_cast<char>((n >> 16) & 0xFF), static_cast<char>(n >> 24)};
  return head + images + labels;
}

// A PNG whose header claims width x height and holds no pixels: what a decoder must refuse
// from the header rather than allocate.
std::string pngHeaderOnly(uint32_t width, uint32_t height) {
  auto be32 = [](uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>((v >> 16) & 0xFF),
                       static_cast<char>((v >> 8) & 0xFF), static_cast<char>(v & 0xFF)};
  };
  std::string png = "\x89PNG\r\n\x1a\n";
  png += be32(13) + "IHDR" + be32(width) + be32(height) + std::string("\x08\x02\x00\x00\x00", 5);
  png += be32(0);  // CRC (wrong, as in a damaged file)
  png += be32(0) + "IEND" + be32(0xAE426082);
  return png;
}

}  // namespace

// A .weights file for the fuzz target's small model described by `model` (its first 4
// bytes): header (64-bit `seen` unless `seen32`), then every conv's floats.
std::string darknetWeightsSeed(const std::string& model, bool seen32, int fileClasses) {
  const auto byte = [&](int i) { return static_cast<unsigned char>(model[i]); };
  std::string file = model;
  const int32_t version[3] = {0, seen32 ? 1 : 2, 0};
  file.append(reinterpret_cast<const char*>(version), sizeof(version));
  file.append(seen32 ? 4 : 8, '\x01');
  int64_t channels = 3, floats = 0;
  for (int i = 0; i < 1 + byte(1) % 3; ++i) {
    const int64_t out = 1 + (byte(2) >> (2 * i)) % 4, k = (byte(3) >> i) & 1 ? 3 : 1;
    floats += 4 * out + out * channels * k * k;
    channels = out;
  }
  const int64_t outputs = 3 * (5 + fileClasses);
  floats += outputs + outputs * channels;
  for (int64_t i = 0; i < floats; ++i) {
    const float value = 0.01f * static_cast<float>(i % 100);
    file.append(reinterpret_cast<const char*>(&value), sizeof(value));
  }
  return file;
}

int main(int argc, char** argv) try {
  if (argc != 2) {
    std::cerr << "usage: make_corpus OUT\n";
    return 2;
  }
  const fs::path out = argv[1];
  fs::create_directories(out);

  seed(out, "annotation_file", "lines.txt",
       "image.png 10,20,30,40,3 50,6,60,20,1\n"
       "image.png\n"
       "/abs/missing.jpg 1.5,2.5,10,12,9\n");
  seed(out, "yolo_labels", "labels.txt", "3 0.5 0.5 0.2 0.3\n1 0.1 0.1 0.05 0.05\n");
  seed(out, "class_names", "mnist.names", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n");
  seed(out, "class_names", "words.names", "cat\r\ndog\r\n\r\ntraffic light\r\n");
  seed(out, "voc_xml", "a.xml",
       "<annotation>\n  <folder>VOC</folder>\n  <filename>a.jpg</filename>\n"
       "  <size><width>64</width><height>48</height><depth>3</depth></size>\n"
       "  <object><name>3</name><difficult>0</difficult>\n"
       "    <bndbox><xmin>2</xmin><ymin>3</ymin><xmax>20</xmax><ymax>30</ymax></bndbox>\n"
       "  </object>\n  <object><name>7</name><difficult>1</difficult>\n"
       "    <bndbox><xmin>30</xmin><ymin>5</ymin><xmax>60</xmax><ymax>40</ymax></bndbox>\n"
       "  </object>\n</annotation>\n");
  const std::string coco = R"({"images":[{"id":1,"file_name":"a.jpg","width":64,"height":48}],
"annotations":[{"id":1,"image_id":1,"category_id":3,"bbox":[1,2,10,12],"area":120,"iscrowd":0},
{"id":2,"image_id":1,"category_id":7,"bbox":[30,5,20,30],"area":600,"iscrowd":1}],
"categories":[{"id":3,"name":"3"},{"id":7,"name":"7"}]})";
  seed(out, "coco_json", "instances.json", coco);

  seed(out, "mnist_idx", "plain", idxPair(idxImages(3), idxLabels(3)));
  {
    // The gzip form, as the .deb ships the digits: written by the program's own writer.
    data::DigitSet digits;
    for (int d = 0; d < 3; ++d)
      digits.byClass[d].push_back(cv::Mat(28, 28, CV_8UC1, cv::Scalar(40 * d)));
    const fs::path images = out / "idx-images.gz", labels = out / "idx-labels.gz";
    data::writeMnistIdxGz(digits, images, labels);
    seed(out, "mnist_idx", "gzip", idxPair(readTextFile(images), readTextFile(labels)));
    fs::remove(images);
    fs::remove(labels);
  }
  {
    std::string digit = "{\"data\":[";
    for (int i = 0; i < 784; ++i) digit += (i ? "," : "") + std::to_string((i % 5) / 4.0);
    seed(out, "digits_json", "0.json", digit + "]}");
  }

  std::vector<std::string> runConfigs;
  for (const auto& name : run::presetNames()) {
    runConfigs.push_back(nlohmann::json(run::preset(name)).dump(2));
    seed(out, "run_config", name + ".json", runConfigs.back());
  }
  // Byte 0: 1 class, inferred; 1: two convs; 2: 2 then 3 filters; 3: 1x1 then 3x3.
  const std::string twoConvs("\x00\x01\x09\x02", 4);
  seed(out, "darknet_weights", "two-convs", darknetWeightsSeed(twoConvs, false, 1));
  seed(out, "darknet_weights", "seen32", darknetWeightsSeed(twoConvs, true, 1));
  // Transfer loading (0x80; 0x81 % 3 == 0: 1 class) of a file written for 3 classes.
  seed(out, "darknet_weights", "transfer",
       darknetWeightsSeed(std::string("\x81\x00\x03\x01", 4), false, 3));
  std::vector<std::string> checkpointHeaders;
  for (const auto& name : run::presetNames()) {
    run::CheckpointHeader header;
    header.config = run::preset(name);
    header.classNames = {"0", "1", "2"};
    header.state.step = 1234;
    header.state.epoch = 3;
    header.state.hasBest = true;
    header.state.bestMetric = 0.91;
    checkpointHeaders.push_back(run::checkpointHeaderToText(header));
    seed(out, "checkpoint_header", name + ".json", checkpointHeaders.back());
  }
  std::vector<std::string> generatorConfigs;
  for (const auto& name : data::generatorVariantNames()) {
    generatorConfigs.push_back(nlohmann::json(data::generatorVariant(name)).dump(2));
    seed(out, "generator_config", name + ".json", generatorConfigs.back());
  }
  {
    train::StepMetrics step;
    step.step = 3;
    step.loss.giouPerScale = {1.5, 2.5};
    step.loss.confPerScale = {0.5, 0.25};
    step.loss.probPerScale = {0.1, 0.2};
    train::EpochMetrics epoch;
    epoch.epoch = 1;
    epoch.step = 3;
    epoch.validation = step.loss;
    epoch.map50 = 0.5;
    const std::string lines =
        train::toJson(step).dump() + "\n" + train::toJson(epoch).dump() + "\n" +
        train::toJson(train::TrainingEvent{"best", "best.pt"}, 3).dump() + "\n";
    seed(out, "metrics_jsonl", "metrics.jsonl", lines);
    writeDictionary(out / "metrics_jsonl.dict", {lines});
  }
  {
    // A kept evaluation: two images, a difficult object, a detection of each kind.
    eval::SavedEvaluation kept;
    kept.epoch = 3;
    kept.step = 120;
    kept.classNames = {"0", "1"};
    kept.report.scoreThreshold = 0.05f;
    kept.report.iouThreshold = 0.45f;
    kept.report.imagePaths = {"a.png", "b.png"};
    data::Box difficult{40, 40, 50, 50, 0};
    difficult.kind = data::Box::Kind::difficult;
    kept.report.groundTruth = {{{0, 0, 10, 10, 0}, {20, 20, 30, 30, 1}}, {difficult}};
    infer::Detection found;
    found.x2 = found.y2 = 10;
    found.score = 0.9f;
    kept.report.detections = {{found}, {}};
    const fs::path file = out / "kept.json";
    eval::saveEvaluation(file, kept);
    const std::string text = readTextFile(file);
    fs::remove(file);
    seed(out, "saved_evaluation", "epoch-0003.json", text);
    writeDictionary(out / "saved_evaluation.dict", {text});
  }
  seed(out, "schedule_request", "adjust.json",
       R"({"epochs": 40, "lr_init": 0.0005, "lr_end": 1e-05})");
  seed(out, "schedule_request", "epochs.json", R"({"epochs": 12})");
  writeDictionary(out / "schedule_request.dict",
                  {R"({"epochs": 40, "lr_init": 0.0005, "lr_end": 1e-05})"});
  for (const auto& architecture : model::architectureNames())
    seed(out, "darknet_cfg", architecture + ".cfg",
         model::darknetCfgText(model::makeModelSpec(architecture, 10, 416)));

  const cv::Mat picture(12, 16, CV_8UC3, cv::Scalar(30, 120, 200));
  for (const std::string ext : {".png", ".jpg", ".bmp"}) {
    std::vector<unsigned char> bytes;
    cv::imencode(ext, picture, bytes);
    seed(out, "image_file", "picture" + ext, bytesOf(bytes));
  }
  seed(out, "image_file", "huge-header.png", pngHeaderOnly(60000, 60000));

  writeDictionary(out / "coco_json.dict", {coco});
  writeDictionary(out / "run_config.dict", runConfigs);
  writeDictionary(out / "generator_config.dict", generatorConfigs);
  writeDictionary(out / "checkpoint_header.dict", checkpointHeaders);
  writeDictionary(out / "digits_json.dict", {"{\"data\":[0.5]}"});
  return 0;
} catch (const std::exception& e) {
  std::cerr << "make_corpus: " << e.what() << "\n";
  return 1;
}
