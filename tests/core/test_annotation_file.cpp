// The tutorial annotation format: round trips, path rules, and every malformed line giving an
// issue with file and line without touching the user's file.

#include <fstream>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "core/data/annotation_file.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "core/util/image_file.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::data;
using yolo::readImageSize;

namespace {

void writeImage(const fs::path& path, int w = 64, int h = 48) {
  fs::create_directories(path.parent_path());
  ASSERT_TRUE(cv::imwrite(path.string(), cv::Mat(h, w, CV_8UC3, cv::Scalar(200, 100, 50))));
}

const LoadIssue* issueOnLine(const AnnotationLoadResult& r, int line) {
  for (const auto& issue : r.issues)
    if (issue.line == line) return &issue;
  return nullptr;
}

}  // namespace

TEST(AnnotationFile, RoundTripKeepsPathsAndBoxes) {
  yolo::test::ScratchDir dir;
  const fs::path root = dir.path() / "set";
  const fs::path outside = dir.path() / "elsewhere" / "far away.png";
  writeImage(root / "imgs" / "a.jpg");
  writeImage(root / "imgs" / "with space" / "b c.jpg");
  writeImage(outside);
  const std::vector<Sample> samples = {
      {root / "imgs" / "a.jpg", {{1, 2, 30, 40, 3}, {0, 0, 64, 48, 9}}},
      {root / "imgs" / "with space" / "b c.jpg", {{1.5f, 2.25f, 10.75f, 20, 0}}},
      {outside, {}},
  };
  writeAnnotationFile(root / "list.txt", samples);

  const std::string text = yolo::readTextFile(root / "list.txt");
  EXPECT_NE(text.find("imgs/a.jpg 1,2,30,40,3 0,0,64,48,9\n"), std::string::npos) << text;
  EXPECT_NE(text.find("imgs/with space/b c.jpg 1.5,2.25,10.75,20,0\n"), std::string::npos);
  EXPECT_NE(text.find(outside.string() + "\n"), std::string::npos);  // outside: absolute

  AnnotationReadOptions options;
  options.numClasses = 10;
  options.checkBoxesInsideImage = true;
  const AnnotationLoadResult r = readAnnotationFile(root / "list.txt", options);
  EXPECT_TRUE(r.issues.empty()) << toString(r.issues.front());
  ASSERT_EQ(r.samples.size(), samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(r.samples[i].image, samples[i].image.lexically_normal());
    EXPECT_EQ(r.samples[i].boxes, samples[i].boxes);
  }
}

TEST(AnnotationFile, RelativePathsResolveAgainstTheFilesFolder) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "data" / "x.jpg");
  writeImage(dir.path() / "y.jpg");
  yolo::writeTextAtomically(
      dir.path() / "data" / "list.txt",
      "x.jpg 1,1,5,5,0\n../y.jpg\r\n" + (dir.path() / "y.jpg").string() + "   2,2,4,4,1   \n");
  const AnnotationLoadResult r = readAnnotationFile(dir.path() / "data" / "list.txt");
  EXPECT_TRUE(r.issues.empty());
  ASSERT_EQ(r.samples.size(), 3u);
  EXPECT_EQ(r.samples[0].image, dir.path() / "data" / "x.jpg");
  EXPECT_EQ(r.samples[1].image, dir.path() / "y.jpg");
  EXPECT_TRUE(r.samples[1].boxes.empty());
  EXPECT_EQ(r.samples[2].image, dir.path() / "y.jpg");
  EXPECT_EQ(r.samples[2].boxes, (std::vector<Box>{{2, 2, 4, 4, 1}}));
}

TEST(AnnotationFile, EveryMalformedLineGivesAnIssueAndLeavesTheFileAlone) {
  yolo::test::ScratchDir dir;
  writeImage(dir.path() / "img.jpg", 64, 48);
  const std::string content =
      "img.jpg 1,2,30,40,3\n"     // 1 good
      "img.jpg 1,2,3,4\n"         // 2 four fields
      "img.jpg 1,2,x,4,0\n"       // 3 not a number
      "img.jpg 5,5,3,9,1\n"       // 4 x2 <= x1
      "img.jpg 1,1,500,10,2\n"    // 5 outside the 64x48 image
      "img.jpg 1,1,5,5,12\n"      // 6 class beyond 10 names
      "missing.jpg 1,1,5,5,1\n"   // 7 no such image
      "img.jpg 1,1,5,5,1.5\n"     // 8 class not an integer
      "img.jpg -3,1,5,5,1\n"      // 9 negative coordinate
      "\n"                        // 10 blank: ignored
      "img.jpg\n"                 // 11 no boxes: fine
      "img.jpg 1,2,3,4,5 junk\n"  // 12 trailing junk token
      "img.jpg 1,1,5,1,0\n"       // 13 y2 <= y1
      "img.jpg 1,1,5,5,-2\n"      // 14 negative class
      "img.jpg 1,1,,5,2\n"        // 15 empty field
      "img.jpg 1,1,5,5,2,7\n"     // 16 six fields
      "img.jpg 1,1,5,5,1e30\n"    // 17 class out of int range
      "img.jpg 1,1,nan,5,1\n"     // 18 nan
      "img.jpg nan,1,5,5,1\n"     // 19 nan first: a box all the same, not more of the path
      "img.jpg 2,3,6,7,9";        // 20 good, no final newline
  const fs::path file = dir.path() / "list.txt";
  yolo::writeTextAtomically(file, content);
  const auto mtime = fs::last_write_time(file);

  AnnotationReadOptions options;
  options.numClasses = 10;
  options.checkBoxesInsideImage = true;
  const AnnotationLoadResult r = readAnnotationFile(file, options);

  ASSERT_EQ(r.samples.size(), 3u);
  EXPECT_EQ(r.samples[0].boxes, (std::vector<Box>{{1, 2, 30, 40, 3}}));
  EXPECT_TRUE(r.samples[1].boxes.empty());
  EXPECT_EQ(r.samples[2].boxes, (std::vector<Box>{{2, 3, 6, 7, 9}}));
  EXPECT_EQ(r.skippedLines, 16);

  struct Expected {
    int line;
    const char* token;
    const char* words;
  };
  const Expected expected[] = {
      {2, "1,2,3,4", "malformed box"},      {3, "1,2,x,4,0", "x2 'x' is not a number"},
      {4, "5,5,3,9,1", "x2 > x1"},          {5, "1,1,500,10,2", "outside the image (64x48)"},
      {6, "12", "class id beyond"},         {7, "missing.jpg", "not found"},
      {8, "1,1,5,5,1.5", "not an integer"}, {9, "-3,1,5,5,1", "outside the image"},
      {12, "junk", "malformed box"},        {13, "1,1,5,1,0", "y2 > y1"},
      {14, "1,1,5,5,-2", "negative"},       {15, "1,1,,5,2", "not a number"},
      {16, "1,1,5,5,2,7", "6 fields"},      {17, "1,1,5,5,1e30", "not an integer"},
      {18, "1,1,nan,5,1", "not a number"},  {19, "nan,1,5,5,1", "x1 'nan' is not a number"},
  };
  for (const auto& e : expected) {
    const LoadIssue* issue = issueOnLine(r, e.line);
    ASSERT_NE(issue, nullptr) << "no issue for line " << e.line;
    EXPECT_EQ(issue->file, file);
    EXPECT_EQ(issue->token, e.token) << "line " << e.line;
    EXPECT_NE(issue->message.find(e.words), std::string::npos)
        << "line " << e.line << ": " << issue->message;
    const std::string shown = toString(*issue);
    EXPECT_NE(shown.find(file.string() + ":" + std::to_string(e.line) + ": "), std::string::npos)
        << shown;
  }
  for (const auto& issue : r.issues) EXPECT_NE(issue.line, 1);

  EXPECT_EQ(yolo::readTextFile(file), content);
  EXPECT_EQ(fs::last_write_time(file), mtime);
}

TEST(AnnotationFile, ChecksAreOptional) {
  yolo::test::ScratchDir dir;
  yolo::writeTextAtomically(dir.path() / "list.txt", "missing.jpg 1,1,500,10,42\n");
  AnnotationReadOptions lax;
  lax.checkImagesExist = false;
  const AnnotationLoadResult r = readAnnotationFile(dir.path() / "list.txt", lax);
  EXPECT_TRUE(r.issues.empty());
  ASSERT_EQ(r.samples.size(), 1u);
  EXPECT_EQ(r.samples[0].boxes[0].classId, 42);
  // Default options: the missing image is an issue.
  EXPECT_EQ(readAnnotationFile(dir.path() / "list.txt").issues.size(), 1u);
}

TEST(AnnotationFile, MissingFileThrowsNamingIt) {
  yolo::test::ScratchDir dir;
  try {
    readAnnotationFile(dir.path() / "nowhere.txt");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nowhere.txt"), std::string::npos);
  }
  EXPECT_THROW(readAnnotationFile(dir.path()), std::runtime_error);
}

TEST(AnnotationFile, AmbiguousPathsAreRefusedAndTheOldFileKept) {
  yolo::test::ScratchDir dir;
  const fs::path file = dir.path() / "list.txt";
  yolo::writeTextAtomically(file, "old\n");
  const std::vector<Sample> bad = {{dir.path() / "ok.jpg", {}},
                                   {dir.path() / "a 1,2.jpg", {{0, 0, 1, 1, 0}}}};
  EXPECT_THROW(writeAnnotationFile(file, bad), std::invalid_argument);
  EXPECT_THROW(formatAnnotationLine({"x\ny.jpg", {}}, dir.path()), std::invalid_argument);
  EXPECT_THROW(formatAnnotationLine({dir.path() / "trailing.jpg ", {}}, dir.path()),
               std::invalid_argument);
  EXPECT_EQ(yolo::readTextFile(file), "old\n");
  // A comma in the first part of a path is fine: only tokens after a space are ambiguous.
  EXPECT_EQ(formatAnnotationLine({dir.path() / "1,2.jpg", {{0, 0, 3, 3, 1}}}, dir.path()),
            "1,2.jpg 0,0,3,3,1");
}

TEST(AnnotationFile, ParseLineSplitsPathFromBoxes) {
  Sample s;
  std::vector<LoadIssue> issues;
  ASSERT_TRUE(parseAnnotationLine("my dir/my img.jpg 1,2,3,4,5\t6,7,8,9,0", "f", 3, s, issues));
  EXPECT_EQ(s.image, "my dir/my img.jpg");
  EXPECT_EQ(s.boxes, (std::vector<Box>{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 0}}));
  EXPECT_TRUE(issues.empty());
  ASSERT_TRUE(parseAnnotationLine("  lead.jpg  ", "f", 4, s, issues));
  EXPECT_EQ(s.image, "lead.jpg");
}

TEST(AnnotationFile, ClassNames) {
  yolo::test::ScratchDir dir;
  yolo::writeTextAtomically(dir.path() / "n.names", "zero\r\n\r\n  one \ntwo words\n");
  EXPECT_EQ(yolo::readClassNames(dir.path() / "n.names"),
            (std::vector<std::string>{"zero", "one", "two words"}));
  yolo::writeClassNames(dir.path() / "m.names", {"a", "b"});
  EXPECT_EQ(yolo::readTextFile(dir.path() / "m.names"), "a\nb\n");
  yolo::writeTextAtomically(dir.path() / "empty.names", "\n \n");
  EXPECT_THROW(yolo::readClassNames(dir.path() / "empty.names"), std::runtime_error);
  try {
    yolo::readClassNames(dir.path() / "absent.names");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.names"), std::string::npos);
  }
  // An image picked as the names file by mistake: an error naming it, not garbage names.
  writeImage(dir.path() / "picture.png", 8, 8);
  try {
    yolo::readClassNames(dir.path() / "picture.png");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("picture.png:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a text file"), std::string::npos) << e.what();
  }
  // Names in any script are text.
  yolo::writeTextAtomically(dir.path() / "u.names", "chiffre z\xc3\xa9ro\n\xe6\x95\xb0\n");
  EXPECT_EQ(yolo::readClassNames(dir.path() / "u.names").size(), 2u);
}

TEST(AnnotationFile, ImageSizeFromHeaders) {
  yolo::test::ScratchDir dir;
  for (const char* ext : {".png", ".jpg", ".bmp", ".tiff"}) {
    const fs::path p = dir.path() / (std::string("im") + ext);
    writeImage(p, 37, 23);
    EXPECT_EQ(readImageSize(p), cv::Size(37, 23)) << ext;
  }
  yolo::writeTextAtomically(dir.path() / "junk.jpg", "not an image");
  EXPECT_TRUE(readImageSize(dir.path() / "junk.jpg").empty());
  EXPECT_TRUE(readImageSize(dir.path() / "absent.jpg").empty());
}

// A phone photo stored sideways with an EXIF orientation: its size and pixels are those of
// the picture as shown (as labelling tools draw boxes on it), for the header parser and the
// decoder alike.
TEST(AnnotationFile, ExifOrientationGivesThePictureAsShown) {
  yolo::test::ScratchDir dir;
  // Stored 60 x 40, dark in the stored top-left 20 x 10 corner.
  cv::Mat stored(40, 60, CV_8UC3, cv::Scalar::all(255));
  stored(cv::Rect(0, 0, 20, 10)).setTo(cv::Scalar::all(0));
  std::vector<unsigned char> jpeg;
  ASSERT_TRUE(cv::imencode(".jpg", stored, jpeg, {cv::IMWRITE_JPEG_QUALITY, 100}));
  // APP1 "Exif": a little-endian TIFF header and one IFD entry, Orientation (0x0112) = 6:
  // shown turned a quarter clockwise.
  const std::vector<unsigned char> exif = {
      'E',  'x',  'i', 'f', 0, 0, 'I', 'I', 0x2A, 0, 8, 0, 0, 0,  // header, IFD at 8
      1,    0,                                                    // one entry
      0x12, 0x01, 3,   0,   1, 0, 0,   0,   6,    0, 0, 0,        // SHORT x 1 = 6
      0,    0,    0,   0};                                        // no next IFD
  const std::size_t length = exif.size() + 2;
  std::vector<unsigned char> app1 = {0xFF, 0xE1, static_cast<unsigned char>(length >> 8),
                                     static_cast<unsigned char>(length & 0xFF)};
  app1.insert(app1.end(), exif.begin(), exif.end());
  jpeg.insert(jpeg.begin() + 2, app1.begin(), app1.end());  // right after SOI
  const fs::path photo = dir.path() / "sideways.jpg";
  std::ofstream(photo, std::ios::binary)
      .write(reinterpret_cast<const char*>(jpeg.data()), static_cast<std::streamsize>(jpeg.size()));

  EXPECT_EQ(readImageSize(photo), cv::Size(40, 60));
  const cv::Mat shown = yolo::readImage(photo);
  ASSERT_EQ(shown.size(), cv::Size(40, 60));
  // Turned clockwise, the stored top-left corner is the shown top-right one.
  EXPECT_LT(shown.at<cv::Vec3b>(10, 35)[0], 60);
  EXPECT_GT(shown.at<cv::Vec3b>(10, 5)[0], 200);
  EXPECT_GT(shown.at<cv::Vec3b>(50, 35)[0], 200);
}
