// Import of YOLO/Darknet txt folders and Pascal VOC folders, export to YOLO txt, statistics.

#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "core/data/dataset_stats.h"
#include "core/data/voc_format.h"
#include "core/data/yolo_txt_format.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::data;

namespace {

void writeImage(const fs::path& path, int w, int h) {
  fs::create_directories(path.parent_path());
  ASSERT_TRUE(cv::imwrite(path.string(), cv::Mat(h, w, CV_8UC1, cv::Scalar(255))));
}

void expectNear(const Box& a, const Box& b, float tol = 1e-3f) {
  EXPECT_NEAR(a.x1, b.x1, tol);
  EXPECT_NEAR(a.y1, b.y1, tol);
  EXPECT_NEAR(a.x2, b.x2, tol);
  EXPECT_NEAR(a.y2, b.y2, tol);
  EXPECT_EQ(a.classId, b.classId);
}

const LoadIssue* findIssue(const std::vector<LoadIssue>& issues, const std::string& file,
                           int line) {
  for (const auto& i : issues)
    if (i.file.filename() == file && i.line == line) return &i;
  return nullptr;
}

const char* const kVocXml = R"(<?xml version="1.0" encoding="utf-8"?>
<!-- written by a labelling tool -->
<annotation verified="no">
  <folder>JPEGImages</folder>
  <filename>a.jpg</filename>
  <size><width>200</width><height>100</height><depth>3</depth></size>
  <object>
    <name>7</name>
    <difficult>0</difficult>
    <bndbox><xmin>11</xmin><ymin>21</ymin><xmax>40</xmax><ymax>60</ymax></bndbox>
  </object>
  <object>
    <name>3</name>
    <bndbox>
      <xmin>1</xmin>
      <ymin>1</ymin>
      <xmax>200.0</xmax>
      <ymax>100</ymax>
    </bndbox>
  </object>
</annotation>
)";

}  // namespace

TEST(YoloTxt, ImportConvertsNormalisedBoxesToPixels) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "a.png", 200, 100);
  writeImage(dir.path() / "sub" / "b.jpg", 50, 50);
  writeImage(dir.path() / "c.jpg", 10, 10);  // no label file: background image
  yolo::writeTextAtomically(dir.path() / "classes.txt", "cat\ndog\n");
  yolo::writeTextAtomically(dir.path() / "a.txt", "1 0.5 0.5 0.2 0.4\n\n0 0.1 0.1 0.2 0.2\r\n");
  yolo::writeTextAtomically(dir.path() / "sub" / "b.txt", "0 0.5 0.5 1 1\n");

  const ImportResult r = importYoloTxt(dir.path());
  EXPECT_TRUE(r.issues.empty()) << toString(r.issues.front());
  EXPECT_EQ(r.classNames, (std::vector<std::string>{"cat", "dog"}));
  ASSERT_EQ(r.samples.size(), 3u);
  EXPECT_EQ(r.samples[0].image, dir.path() / "a.png");
  ASSERT_EQ(r.samples[0].boxes.size(), 2u);
  expectNear(r.samples[0].boxes[0], Box{80, 30, 120, 70, 1});
  expectNear(r.samples[0].boxes[1], Box{0, 0, 40, 20, 0});
  EXPECT_EQ(r.samples[1].image, dir.path() / "c.jpg");
  EXPECT_TRUE(r.samples[1].boxes.empty());
  expectNear(r.samples[2].boxes[0], Box{0, 0, 50, 50, 0});
}

TEST(YoloTxt, ImagesAndLabelsFolders) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "images" / "train" / "x.jpg", 100, 100);
  fs::create_directories(dir.path() / "labels" / "train");
  yolo::writeTextAtomically(dir.path() / "labels" / "train" / "x.txt", "2 0.5 0.5 0.1 0.1\n");
  yolo::writeTextAtomically(dir.path() / "obj.names", "a\nb\nc\n");
  const ImportResult r = importYoloTxt(dir.path());
  ASSERT_EQ(r.samples.size(), 1u);
  ASSERT_EQ(r.samples[0].boxes.size(), 1u);
  expectNear(r.samples[0].boxes[0], Box{45, 45, 55, 55, 2});
}

TEST(YoloTxt, BadLinesGiveIssuesWithFileAndLine) {
  yolo::test::ScratchDir dir;
  yolo::writeTextAtomically(dir.path() / "obj.names", "a\nb\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"fields", "0 0.5 0.5 0.1\n"},
      {"number", "0 0.5 abc 0.1 0.1\n"},
      {"range", "0 0.5 0.5 1.5 0.1\n"},
      {"zero", "0 0.5 0.5 0 0.1\n"},
      {"klass", "0 0.5 0.5 0.1 0.1\n5 0.5 0.5 0.1 0.1\n"},
      {"negative", "-1 0.5 0.5 0.1 0.1\n"},
      {"fraction", "0.5 0.5 0.5 0.1 0.1\n"},
  };
  for (const auto& [name, text] : cases) {
    writeImage(dir.path() / (name + ".jpg"), 20, 20);
    yolo::writeTextAtomically(dir.path() / (name + ".txt"), text);
  }
  writeImage(dir.path() / "good.jpg", 20, 20);
  yolo::writeTextAtomically(dir.path() / "good.txt", "1 0.5 0.5 0.5 0.5\n");

  const ImportResult r = importYoloTxt(dir.path());
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].image.filename(), "good.jpg");
  EXPECT_EQ(r.skippedImages, static_cast<int>(cases.size()));
  for (const auto& [name, text] : cases) {
    const int line = name == "klass" ? 2 : 1;
    const LoadIssue* issue = findIssue(r.issues, name + ".txt", line);
    ASSERT_NE(issue, nullptr) << name;
    EXPECT_NE(toString(*issue).find(name + ".txt:" + std::to_string(line)), std::string::npos);
    EXPECT_EQ(yolo::readTextFile(dir.path() / (name + ".txt")), text);  // untouched
  }
  EXPECT_NE(findIssue(r.issues, "klass.txt", 2)->message.find("beyond"), std::string::npos);
  EXPECT_NE(findIssue(r.issues, "range.txt", 1)->message.find("0..1"), std::string::npos);
}

TEST(YoloTxt, MissingNamesFileThrowsNamingTheFolder) {
  yolo::test::ScratchDir dir;
  try {
    importYoloTxt(dir.path());
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path().string()), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("obj.names"), std::string::npos);
  }
}

TEST(YoloTxt, ExportThenImportRoundTrips) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "data" / "p.jpg", 416, 416);
  writeImage(dir.path() / "data" / "q.png", 300, 200);
  const std::vector<Sample> samples = {
      {dir.path() / "data" / "p.jpg", {{10, 20, 38, 48, 7}, {100, 100, 212, 212, 1}}},
      {dir.path() / "data" / "q.png", {}},
  };
  const std::vector<std::string> names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  exportYoloTxt(samples, names, dir.path() / "data");
  EXPECT_EQ(yolo::readTextFile(dir.path() / "data" / "q.txt"), "");
  EXPECT_EQ(yolo::readClassNames(dir.path() / "data" / "classes.txt"), names);
  EXPECT_EQ(yolo::readTextFile(dir.path() / "data" / "images.txt"),
            samples[0].image.string() + "\n" + samples[1].image.string() + "\n");

  const ImportResult back = importYoloTxt(dir.path() / "data");
  EXPECT_TRUE(back.issues.empty());
  ASSERT_EQ(back.samples.size(), 2u);
  ASSERT_EQ(back.samples[0].boxes.size(), 2u);
  for (std::size_t k = 0; k < 2; ++k)
    expectNear(back.samples[0].boxes[k], samples[0].boxes[k], 0.01f);
  EXPECT_TRUE(back.samples[1].boxes.empty());
  EXPECT_EQ(toYoloLine(Box{0, 0, 50, 20, 3}, cv::Size(100, 40)),
            "3 0.250000 0.250000 0.500000 0.500000");
}

TEST(YoloTxt, ExportRefusesCollidingStemsAndUnknownClasses) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "a" / "x.jpg", 10, 10);
  writeImage(dir.path() / "b" / "x.png", 10, 10);
  EXPECT_THROW(exportYoloTxt({{dir.path() / "a" / "x.jpg", {}}, {dir.path() / "b" / "x.png", {}}},
                             {"a"}, dir.path() / "out"),
               std::runtime_error);
  EXPECT_THROW(
      exportYoloTxt({{dir.path() / "a" / "x.jpg", {{0, 0, 1, 1, 4}}}}, {"a"}, dir.path() / "out"),
      std::runtime_error);
  EXPECT_THROW(exportYoloTxt({{dir.path() / "a" / "absent.jpg", {}}}, {"a"}, dir.path() / "out"),
               std::runtime_error);
}

TEST(Voc, ImportsBoxesConvertingOneBasedInclusivePixels) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "JPEGImages" / "a.jpg", 200, 100);
  fs::create_directories(dir.path() / "Annotations");
  yolo::writeTextAtomically(dir.path() / "Annotations" / "a.xml", kVocXml);

  const ImportResult r = importVoc(dir.path());
  EXPECT_TRUE(r.issues.empty()) << toString(r.issues.front());
  EXPECT_EQ(r.classNames, (std::vector<std::string>{"3", "7"}));
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].image, dir.path() / "JPEGImages" / "a.jpg");
  ASSERT_EQ(r.samples[0].boxes.size(), 2u);
  expectNear(r.samples[0].boxes[0], Box{10, 20, 40, 60, 1});
  expectNear(r.samples[0].boxes[1], Box{0, 0, 200, 100, 0});

  const std::vector<std::string> digits = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  const ImportResult withNames = importVoc(dir.path(), digits);
  ASSERT_EQ(withNames.samples.size(), 1u);
  EXPECT_EQ(withNames.samples[0].boxes[0].classId, 7);
  EXPECT_EQ(withNames.samples[0].boxes[1].classId, 3);

  const ImportResult unknown = importVoc(dir.path(), {"cat"});
  EXPECT_TRUE(unknown.samples.empty());
  const LoadIssue* issue = findIssue(unknown.issues, "a.xml", 7);  // the first <object>
  ASSERT_NE(issue, nullptr);
  EXPECT_EQ(issue->token, "7");
}

TEST(Voc, BrokenFilesGiveIssuesWithLinesAndAreLeftAlone) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "JPEGImages" / "a.jpg", 200, 100);
  fs::create_directories(dir.path() / "Annotations");
  const std::string good = kVocXml;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  const std::vector<std::tuple<std::string, std::string, int, std::string>> cases = {
      {"unclosed", replaced("</annotation>", ""), 22, "never closed"},
      {"crossed", replaced("</size>", ""), 21, "closes <size>"},
      {"mismatch", replaced("</depth>", "</dpth>"), 6, "closes <depth>"},
      {"nofile", replaced("<filename>a.jpg</filename>", ""), 3, "filename"},
      {"noimage", replaced(">a.jpg<", ">b.jpg<"), 5, "not found"},
      {"noymax", replaced("<ymax>60</ymax>", ""), 10, "ymax"},
      {"nan", replaced("<xmin>11</xmin>", "<xmin>eleven</xmin>"), 10, "not a number"},
      {"empty", replaced("<xmax>40</xmax>", "<xmax>5</xmax>"), 10, "empty"},
      {"noname", replaced("<name>7</name>", ""), 7, "<name>"},
      {"garbage", "just text", 1, "outside the root"},
  };
  for (const auto& [name, text, line, words] : cases)
    yolo::writeTextAtomically(dir.path() / "Annotations" / (name + ".xml"), text);
  yolo::writeTextAtomically(dir.path() / "Annotations" / "zgood.xml", good);

  const ImportResult r = importVoc(dir.path());
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.skippedImages, static_cast<int>(cases.size()));
  for (const auto& [name, text, line, words] : cases) {
    const LoadIssue* issue = findIssue(r.issues, name + ".xml", line);
    ASSERT_NE(issue, nullptr) << name << " line " << line;
    EXPECT_NE(issue->message.find(words), std::string::npos) << name << ": " << issue->message;
    EXPECT_EQ(yolo::readTextFile(dir.path() / "Annotations" / (name + ".xml")), text);
  }
  EXPECT_THROW(importVoc(dir.path() / "JPEGImages"), std::runtime_error);
}

TEST(DatasetStats, CountsAndSizesHandComputed) {
  const std::vector<Sample> samples = {
      {"a.jpg", {{0, 0, 10, 20, 1}, {5, 5, 9, 7, 1}, {0, 0, 30, 30, 12}}},
      {"b.jpg", {}},
      {"c.jpg", {{0, 0, 6, 6, 0}}},
  };
  const DatasetStats s = computeStats(samples, 10);
  EXPECT_EQ(s.images, 3);
  EXPECT_EQ(s.imagesWithoutBoxes, 1);
  EXPECT_EQ(s.boxes, 4);
  ASSERT_EQ(s.boxesPerClass.size(), 10u);
  EXPECT_EQ(s.boxesPerClass[0], 1);
  EXPECT_EQ(s.boxesPerClass[1], 2);
  EXPECT_EQ(s.otherClassBoxes, 1);
  EXPECT_EQ(s.maxBoxesPerImage, 3);
  EXPECT_FLOAT_EQ(s.minSide, 2.f);
  EXPECT_FLOAT_EQ(s.maxSide, 30.f);
  EXPECT_FLOAT_EQ(s.meanArea, (200.f + 8.f + 900.f + 36.f) / 4.f);
  ASSERT_EQ(s.boxSizes.size(), 4u);
  EXPECT_FLOAT_EQ(s.boxSizes[1].width, 4.f);
  EXPECT_FLOAT_EQ(s.boxSizes[1].height, 2.f);
  EXPECT_EQ(s.boxSizes[2].classId, 12);

  const DatasetStats none = computeStats({}, 3);
  EXPECT_EQ(none.boxes, 0);
  EXPECT_EQ(none.minSide, 0.f);
  EXPECT_EQ(none.boxesPerClass, (std::vector<int>{0, 0, 0}));
}
