// Datasets in the formats users already have: each is detected, read into the same images,
// boxes (within half a pixel), class names and splits; a dataset without a validation split
// gets a deterministic one; bad entries are reported and skipped.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/dataset_source.h"
#include "core/data/dataset_writer.h"
#include "core/data/yolo_txt_format.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::data;

namespace {

constexpr int kWidth = 96, kHeight = 64;  // not square: normalised formats must use both

struct Truth {
  std::string stem;
  std::vector<Box> boxes;
  bool validation = false;
};

// Six images: a square (class "square") and, on even images, a bar ("bar"); 4 train, 2 val.
std::vector<Truth> truth() {
  std::vector<Truth> t;
  for (int i = 0; i < 6; ++i) {
    Truth image{"img" + std::to_string(i), {}, i >= 4};
    image.boxes.push_back({4.f + 3 * i, 6.f + 2 * i, 30.f + 3 * i, 32.f + 2 * i, 0});
    if (i % 2 == 0) image.boxes.push_back({70.f, 4.f + i, 80.f, 50.f + i, 1});
    t.push_back(image);
  }
  return t;
}

void writeImage(const fs::path& path, const std::vector<Box>& boxes) {
  fs::create_directories(path.parent_path());
  cv::Mat image(kHeight, kWidth, CV_8UC3, cv::Scalar::all(255));
  for (const Box& b : boxes)
    cv::rectangle(image, cv::Rect(cv::Point(int(b.x1), int(b.y1)), cv::Point(int(b.x2), int(b.y2))),
                  cv::Scalar::all(b.classId == 0 ? 0 : 120), cv::FILLED);
  ASSERT_TRUE(cv::imwrite(path.string(), image));
}

void writeText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string yoloLabels(const std::vector<Box>& boxes) {
  std::string text;
  for (const Box& b : boxes) text += toYoloLine(b, cv::Size(kWidth, kHeight)) + "\n";
  return text;
}

fs::path writeTutorial(const fs::path& dir) {
  std::string train, test;
  for (const Truth& t : truth()) {
    writeImage(dir / "img" / (t.stem + ".jpg"), t.boxes);
    std::string line = "img/" + t.stem + ".jpg";
    for (const Box& b : t.boxes)
      line += " " + std::to_string(int(b.x1)) + "," + std::to_string(int(b.y1)) + "," +
              std::to_string(int(b.x2)) + "," + std::to_string(int(b.y2)) + "," +
              std::to_string(b.classId);
    (t.validation ? test : train) += line + "\n";
  }
  writeText(dir / "train.txt", train);
  writeText(dir / "test.txt", test);
  writeText(dir / "obj.names", "square\nbar\n");
  return dir;
}

// Darknet: obj.data beside data/, lists of image paths relative to the folder above data/.
fs::path writeDarknet(const fs::path& dir) {
  std::string train, valid;
  for (const Truth& t : truth()) {
    writeImage(dir / "data" / "obj" / (t.stem + ".jpg"), t.boxes);
    writeText(dir / "data" / "obj" / (t.stem + ".txt"), yoloLabels(t.boxes));
    (t.validation ? valid : train) += "data/obj/" + t.stem + ".jpg\n";
  }
  writeText(dir / "data" / "train.txt", train);
  writeText(dir / "data" / "valid.txt", valid);
  writeText(dir / "data" / "obj.names", "square\nbar\n");
  writeText(dir / "data" / "obj.data",
            "classes = 2\ntrain = data/train.txt\nvalid = data/valid.txt\n"
            "names = data/obj.names\nbackup = backup/\n");
  return dir / "data" / "obj.data";
}

// Ultralytics: data.yaml with names as a map, images/{train,val} and labels/{train,val}.
fs::path writeUltralytics(const fs::path& dir) {
  for (const Truth& t : truth()) {
    const std::string split = t.validation ? "val" : "train";
    writeImage(dir / "images" / split / (t.stem + ".png"), t.boxes);
    writeText(dir / "labels" / split / (t.stem + ".txt"), yoloLabels(t.boxes));
  }
  writeText(dir / "data.yaml",
            "path: .\ntrain: images/train\nval: images/val\nnames:\n  0: square\n  1: bar\n");
  return dir;
}

// VOC: 1-based inclusive pixels, the split in ImageSets/Main.
fs::path writeVoc(const fs::path& dir) {
  std::string train, val;
  const char* names[] = {"square", "bar"};
  for (const Truth& t : truth()) {
    writeImage(dir / "JPEGImages" / (t.stem + ".jpg"), t.boxes);
    std::string xml = "<annotation><filename>" + t.stem + ".jpg</filename><size><width>" +
                      std::to_string(kWidth) + "</width><height>" + std::to_string(kHeight) +
                      "</height></size>";
    for (const Box& b : t.boxes)
      xml += std::string("<object><name>") + names[b.classId] +
             "</name><difficult>0</difficult><bndbox><xmin>" + std::to_string(int(b.x1) + 1) +
             "</xmin><ymin>" + std::to_string(int(b.y1) + 1) + "</ymin><xmax>" +
             std::to_string(int(b.x2)) + "</xmax><ymax>" + std::to_string(int(b.y2)) +
             "</ymax></bndbox></object>";
    writeText(dir / "Annotations" / (t.stem + ".xml"), xml + "</annotation>\n");
    (t.validation ? val : train) += t.stem + "\n";
  }
  writeText(dir / "ImageSets" / "Main" / "train.txt", train);
  writeText(dir / "ImageSets" / "Main" / "val.txt", val);
  return dir;
}

// COCO: category ids 3 and 7 (not contiguous), a crowd region, images in train2017/ and
// val2017/ beside annotations/.
fs::path writeCoco(const fs::path& dir) {
  for (const bool validation : {false, true}) {
    const std::string split = validation ? "val2017" : "train2017";
    nlohmann::json doc{
        {"images", nlohmann::json::array()},
        {"annotations", nlohmann::json::array()},
        {"categories", {{{"id", 7}, {"name", "bar"}}, {{"id", 3}, {"name", "square"}}}}};
    int imageId = 1, annotationId = 100;
    for (const Truth& t : truth()) {
      if (t.validation != validation) continue;
      writeImage(dir / split / (t.stem + ".jpg"), t.boxes);
      doc["images"].push_back({{"id", imageId},
                               {"file_name", t.stem + ".jpg"},
                               {"width", kWidth},
                               {"height", kHeight}});
      for (const Box& b : t.boxes)
        doc["annotations"].push_back({{"id", annotationId++},
                                      {"image_id", imageId},
                                      {"category_id", b.classId == 0 ? 3 : 7},
                                      {"bbox", {b.x1, b.y1, b.width(), b.height()}},
                                      {"iscrowd", 0}});
      doc["annotations"].push_back({{"id", annotationId++},
                                    {"image_id", imageId},
                                    {"category_id", 3},
                                    {"bbox", {0, 0, 5, 5}},
                                    {"iscrowd", 1}});  // a crowd region: kept, not an object
      ++imageId;
    }
    writeText(dir / "annotations" / ("instances_" + split + ".json"), doc.dump());
  }
  return dir;
}

// The read splits hold exactly the written images and boxes (within half a pixel), and
// `crowdRegionsPerImage` crowd regions apart from them (writeCoco's one, where it was read).
void expectSameAsTruth(const DatasetSplits& d, std::size_t crowdRegionsPerImage = 0) {
  std::map<std::string, const Truth*> byStem;
  const auto all = truth();
  for (const Truth& t : all) byStem[t.stem] = &t;
  // Class ids follow each format's order (VOC has none: its names are sorted); the names are
  // what must survive.
  std::vector<std::string> names = d.classNames;
  std::sort(names.begin(), names.end());
  ASSERT_EQ(names, (std::vector<std::string>{"bar", "square"})) << d.format;
  const char* truthNames[] = {"square", "bar"};
  EXPECT_EQ(d.train.size(), 4u) << d.format;
  EXPECT_EQ(d.validation.size(), 2u) << d.format;
  EXPECT_FALSE(d.validationMade);
  EXPECT_TRUE(d.issues.empty()) << d.format << ": " << toString(d.issues.front());
  for (const auto* split : {&d.train, &d.validation}) {
    for (const Sample& s : *split) {
      const Truth* t = byStem.at(s.image.stem().string());
      EXPECT_EQ(t->validation, split == &d.validation) << s.image;
      std::vector<Box> objects;
      for (const Box& b : s.boxes)
        if (b.kind == Box::Kind::object) objects.push_back(b);
      EXPECT_EQ(s.boxes.size() - objects.size(), crowdRegionsPerImage)
          << d.format << " " << s.image;
      ASSERT_EQ(objects.size(), t->boxes.size()) << d.format << " " << s.image;
      for (std::size_t i = 0; i < objects.size(); ++i) {
        const Box &got = objects[i], &want = t->boxes[i];
        EXPECT_EQ(d.classNames.at(static_cast<std::size_t>(got.classId)), truthNames[want.classId])
            << d.format << " " << s.image;
        for (auto [a, b] :
             {std::pair{got.x1, want.x1}, {got.y1, want.y1}, {got.x2, want.x2}, {got.y2, want.y2}})
          EXPECT_LE(std::abs(a - b), 0.5f) << d.format << " " << s.image << " box " << i;
      }
    }
  }
}

}  // namespace

TEST(DatasetSource, EveryFormatReadsTheSameImagesBoxesClassesAndSplits) {
  yolo::test::ScratchDir dir;
  const std::vector<std::pair<std::string, fs::path>> datasets{
      {"tutorial", writeTutorial(dir.path() / "tutorial")},
      {"darknet", writeDarknet(dir.path() / "darknet")},
      {"ultralytics", writeUltralytics(dir.path() / "ultralytics")},
      {"voc", writeVoc(dir.path() / "voc")},
      {"coco", writeCoco(dir.path() / "coco")}};
  for (const auto& [format, path] : datasets) {
    EXPECT_EQ(detectDatasetFormat(path), format) << path;
    const DatasetSplits d = openDatasetSplits(path);
    EXPECT_EQ(d.format, format);
    expectSameAsTruth(d, format == "coco" ? 1 : 0);
  }
  // The files themselves are named too: data.yaml, a folder's obj.data, a COCO JSON.
  EXPECT_EQ(detectDatasetFormat(dir.path() / "ultralytics" / "data.yaml"), "ultralytics");
  EXPECT_EQ(detectDatasetFormat(dir.path() / "darknet" / "data"), "darknet");
  EXPECT_EQ(detectDatasetFormat(dir.path() / "coco" / "annotations" / "instances_val2017.json"),
            "coco");
}

TEST(DatasetSource, ADatasetWithoutValidationGetsTheSameHeldOutImagesEveryTime) {
  yolo::test::ScratchDir dir;
  writeUltralytics(dir.path());
  writeText(dir.path() / "data.yaml", "train: images\nnames: [square, bar]\n");  // one split
  const DatasetSplits a = openDatasetSplits(dir.path(), {0.34, 7});
  EXPECT_TRUE(a.validationMade);
  EXPECT_EQ(a.validation.size(), 2u);  // round(0.34 * 6)
  EXPECT_EQ(a.train.size(), 4u);
  const DatasetSplits b = openDatasetSplits(dir.path(), {0.34, 7});
  ASSERT_EQ(a.validation.size(), b.validation.size());
  for (std::size_t i = 0; i < a.validation.size(); ++i)
    EXPECT_EQ(a.validation[i].image, b.validation[i].image);
  EXPECT_NE(a.summary().find("held out by the seed"), std::string::npos) << a.summary();

  // Another seed picks other images (of the 15 ways to hold out 2 of 6, seeds 1..20 give
  // more than one); share 0 holds out none.
  std::set<std::string> picks;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto [kept, held] = holdOut(a.train, 0.25, seed);
    ASSERT_EQ(held.size(), 1u);
    ASSERT_EQ(kept.size() + held.size(), a.train.size());
    picks.insert(held.front().image.string());
  }
  EXPECT_GT(picks.size(), 1u);
  EXPECT_TRUE(holdOut(a.train, 0.0, 1).second.empty());
  EXPECT_EQ(holdOut(a.train, 0.01, 1).second.size(), 1u) << "at least one image";
}

TEST(DatasetSource, BadEntriesAreReportedWithTheirFileAndSkipped) {
  yolo::test::ScratchDir dir;
  const fs::path data = writeDarknet(dir.path());
  writeText(dir.path() / "data" / "obj" / "img1.txt", "5 0.5 0.5 0.1 0.1\n");  // class 5 of 2
  std::ofstream(dir.path() / "data" / "train.txt", std::ios::app) << "data/obj/missing.jpg\n";
  const DatasetSplits d = openDatasetSplits(data);
  EXPECT_EQ(d.train.size(), 3u);  // img1 and the missing image skipped
  EXPECT_EQ(d.skippedImages, 2);
  ASSERT_EQ(d.issues.size(), 2u);
  auto reported = [&](const std::string& text) {
    return std::any_of(d.issues.begin(), d.issues.end(), [&](const LoadIssue& issue) {
      return toString(issue).find(text) != std::string::npos;
    });
  };
  EXPECT_TRUE(reported("img1.txt:1: '5': class id beyond the class names"));
  EXPECT_TRUE(reported("train.txt:5: 'data/obj/missing.jpg': image file not found"));
  EXPECT_NE(d.summary().find("problems: 2"), std::string::npos) << d.summary();

  yolo::test::ScratchDir coco;
  writeCoco(coco.path());
  const fs::path val = coco.path() / "annotations" / "instances_val2017.json";
  nlohmann::json doc = nlohmann::json::parse(std::ifstream(val));
  doc["annotations"][0]["category_id"] = 99;
  writeText(val, doc.dump());
  const DatasetSplits c = openDatasetSplits(coco.path());
  EXPECT_EQ(c.validation.size(), 1u);
  ASSERT_EQ(c.issues.size(), 1u);
  EXPECT_NE(toString(c.issues[0]).find("category_id 99"), std::string::npos)
      << toString(c.issues[0]);
}

TEST(DatasetSource, WhatIsNotADatasetIsNamedWithWhatWasLookedFor) {
  yolo::test::ScratchDir dir;
  fs::create_directories(dir.path() / "holiday-photos");
  try {
    detectDatasetFormat(dir.path() / "holiday-photos");
    FAIL() << "an empty folder is no dataset";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("holiday-photos"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("data.yaml"), std::string::npos) << e.what();
  }
  EXPECT_THROW(openDatasetSplits(dir.path() / "nowhere"), std::runtime_error);
  writeText(dir.path() / "broken" / "data.yaml", "train: [unclosed\n");
  try {
    openDatasetSplits(dir.path() / "broken");
    FAIL() << "malformed YAML";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("data.yaml"), std::string::npos) << e.what();
  }
}

TEST(DatasetSource, ConvertedThroughEveryFormatTheBoxesComeBack) {
  yolo::test::ScratchDir dir;
  fs::path from = writeTutorial(dir.path() / "start");
  // tutorial -> yolo -> coco -> voc -> tutorial, each read back by the reader of its format.
  for (const std::string format : {"yolo", "coco", "voc", "tutorial"}) {
    const fs::path to = dir.path() / format;
    writeDataset(openDatasetSplits(from), format, to);
    const DatasetSplits back = openDatasetSplits(to);
    EXPECT_EQ(back.format, format == "yolo" ? "ultralytics" : format);
    expectSameAsTruth(back);
    from = to;
  }
  // The last one is a make-data folder again: train.txt, test.txt and obj.names.
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "tutorial" / "obj.names"));
}

TEST(DatasetSource, DifficultObjectsAndCrowdRegionsKeepTheirMarkWhereTheFormatHasOne) {
  yolo::test::ScratchDir dir;
  DatasetSplits d = openDatasetSplits(writeCoco(dir.path() / "coco"));
  ASSERT_EQ(d.train.front().boxes.back().kind, Box::Kind::crowd);
  d.train.front().boxes.front().kind = Box::Kind::difficult;
  auto kindsOf = [](const DatasetSplits& back) {
    std::map<Box::Kind, int> kinds;
    for (const auto* split : {&back.train, &back.validation})
      for (const Sample& s : *split)
        for (const Box& b : s.boxes) ++kinds[b.kind];
    return kinds;
  };
  const auto before = kindsOf(d);
  ASSERT_EQ(before.at(Box::Kind::crowd), 6);
  ASSERT_EQ(before.at(Box::Kind::difficult), 1);
  const int objects = before.at(Box::Kind::object);

  // VOC keeps <difficult>1 and has no crowd regions; COCO keeps iscrowd and has no
  // difficult; YOLO txt has neither: difficult becomes a plain object, crowd is left out.
  writeDataset(d, "voc", dir.path() / "voc");
  writeDataset(d, "coco", dir.path() / "coco-again");
  writeDataset(d, "yolo", dir.path() / "yolo");
  using Kinds = std::map<Box::Kind, int>;
  EXPECT_EQ(kindsOf(openDatasetSplits(dir.path() / "voc")),
            (Kinds{{Box::Kind::object, objects}, {Box::Kind::difficult, 1}}));
  EXPECT_EQ(kindsOf(openDatasetSplits(dir.path() / "coco-again")),
            (Kinds{{Box::Kind::object, objects + 1}, {Box::Kind::crowd, 6}}));
  EXPECT_EQ(kindsOf(openDatasetSplits(dir.path() / "yolo")),
            (Kinds{{Box::Kind::object, objects + 1}}));
}

TEST(DatasetSource, ConvertingNeverWritesIntoAFolderThatHoldsFiles) {
  yolo::test::ScratchDir dir;
  const DatasetSplits d = openDatasetSplits(writeTutorial(dir.path() / "start"));
  writeText(dir.path() / "busy" / "keep.txt", "mine");
  EXPECT_THROW(writeDataset(d, "coco", dir.path() / "busy"), std::runtime_error);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "busy"), fs::directory_iterator()),
            1);
  EXPECT_THROW(writeDataset(d, "onnx", dir.path() / "new"), std::invalid_argument);
}

TEST(DatasetSource, ImagesWithTheSameNameInTwoSplitsStayApart) {
  yolo::test::ScratchDir dir;
  DatasetSplits d = openDatasetSplits(writeTutorial(dir.path() / "start"));
  // Both splits name an image "same.jpg", as make-data's train/000001.jpg and test/000001.jpg.
  fs::copy_file(d.train[0].image, dir.path() / "start" / "img" / "same.jpg");
  fs::create_directories(dir.path() / "other");
  fs::copy_file(d.validation[0].image, dir.path() / "other" / "same.jpg");
  d.train[0].image = dir.path() / "start" / "img" / "same.jpg";
  d.validation[0].image = dir.path() / "other" / "same.jpg";
  writeDataset(d, "voc", dir.path() / "voc");
  const DatasetSplits back = openDatasetSplits(dir.path() / "voc");
  EXPECT_EQ(back.train.size(), d.train.size());
  EXPECT_EQ(back.validation.size(), d.validation.size());
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "voc" / "JPEGImages" / "same.jpg"));
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "voc" / "JPEGImages" / "same_2.jpg"));
}

TEST(DatasetSource, ExportsOpenAsTheLabellingToolsWriteThem) {
  yolo::test::ScratchDir dir;
  // CVAT's Darknet export, unpacked into a folder not called data/: obj.data still says
  // data/train.txt and the list data/obj_train_data/x.jpg, data/ meaning the export itself.
  const fs::path cvat = dir.path() / "cvat-export";
  std::string list;
  for (const Truth& t : truth()) {
    writeImage(cvat / "obj_train_data" / (t.stem + ".jpg"), t.boxes);
    writeText(cvat / "obj_train_data" / (t.stem + ".txt"), yoloLabels(t.boxes));
    list += "data/obj_train_data/" + t.stem + ".jpg\n";
  }
  writeText(cvat / "train.txt", list);
  writeText(cvat / "obj.names", "square\nbar\n");
  writeText(cvat / "obj.data", "classes = 2\ntrain = data/train.txt\nnames = data/obj.names\n");
  EXPECT_EQ(detectDatasetFormat(cvat), "darknet") << "train.txt lists paths, not annotations";
  EXPECT_EQ(openDatasetSplits(cvat, {0.0, 0}).train.size(), 6u);

  // Roboflow's YOLO export: data.yaml beside train/ and valid/ says ../train/images.
  const fs::path roboflow = dir.path() / "roboflow";
  for (const Truth& t : truth()) {
    const std::string split = t.validation ? "valid" : "train";
    writeImage(roboflow / split / "images" / (t.stem + ".jpg"), t.boxes);
    writeText(roboflow / split / "labels" / (t.stem + ".txt"), yoloLabels(t.boxes));
  }
  writeText(roboflow / "data.yaml",
            "train: ../train/images\nval: ../valid/images\nnc: 2\nnames: ['square', 'bar']\n");
  expectSameAsTruth(openDatasetSplits(roboflow));
}

TEST(DatasetSource, ListsNamingMissingImagesAndOddFilesAreReported) {
  yolo::test::ScratchDir dir;
  writeUltralytics(dir.path());
  writeText(dir.path() / "val.txt", "images/val/img4.png\nimages/val/gone.png\n");
  writeText(dir.path() / "data.yaml", "train: images/train\nval: val.txt\nnames: [square, bar]\n");
  const DatasetSplits d = openDatasetSplits(dir.path());
  EXPECT_EQ(d.validation.size(), 1u);
  ASSERT_EQ(d.issues.size(), 1u);
  EXPECT_NE(toString(d.issues[0]).find("val.txt:2: 'images/val/gone.png'"), std::string::npos)
      << toString(d.issues[0]);

  // A tutorial file may begin with images without boxes; a list of paths is no annotation file.
  writeText(dir.path() / "t" / "a.txt", "img0.png\nimg1.png 1,2,30,40,0\n");
  EXPECT_EQ(detectDatasetFormat(dir.path() / "t" / "a.txt"), "tutorial");
  writeText(dir.path() / "t" / "paths.txt", "img0.png\nimg1.png\n");
  EXPECT_THROW(detectDatasetFormat(dir.path() / "t" / "paths.txt"), std::runtime_error);

  // COCO: an annotation of an image id no image has is named.
  yolo::test::ScratchDir coco;
  writeCoco(coco.path());
  const fs::path train = coco.path() / "annotations" / "instances_train2017.json";
  nlohmann::json doc = nlohmann::json::parse(std::ifstream(train));
  doc["annotations"].push_back({{"id", 999},
                                {"image_id", 42},
                                {"category_id", 3},
                                {"bbox", {1, 1, 5, 5}},
                                {"iscrowd", nullptr}});
  writeText(train, doc.dump());
  const DatasetSplits c = openDatasetSplits(coco.path());
  EXPECT_EQ(c.train.size(), 4u);
  ASSERT_EQ(c.issues.size(), 1u);
  EXPECT_NE(toString(c.issues[0]).find("image_id 42"), std::string::npos) << toString(c.issues[0]);

  EXPECT_TRUE(holdOut(d.train, -0.5, 1).second.empty()) << "a negative share holds out none";
}
