// yolo-cli detect: run a trained detector on images, folders, globs or a video; print a
// table or JSON lines, optionally write annotated images or an annotated video.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <glob.h>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/videoio.hpp>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "app/cli/progress_line.h"
#include "core/infer/detector.h"
#include "core/infer/draw.h"
#include "core/util/image_file.h"
#include "core/util/letterbox.h"

namespace yolo::cli {
namespace fs = std::filesystem;

namespace {

struct DetectCliOptions {
  std::string model;
  std::vector<std::string> inputs;
  std::string device = "auto";
  std::string out;
  std::string video;
  float score = 0.3f;
  float iou = 0.45f;
  bool softNms = false;
  float insideCover = infer::kOneLabelPerObjectCover;
  int maxDetections = 100;
  int threads = 0;
  bool json = false;
};

bool isImageFile(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* known :
       {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm", ".pbm"})
    if (ext == known) return true;
  return false;
}

bool hasGlobCharacters(const std::string& text) {
  return text.find_first_of("*?[") != std::string::npos;
}

/// Expands the command line's inputs: a folder gives its image files (sorted, not
/// recursive), a pattern gives its matching image files (glob(3), for shells that did not
/// expand it; folders and other files among the matches are passed over, as in a folder),
/// anything else is taken as an image path. Patterns without matching images are reported.
std::vector<fs::path> expandInputs(const std::vector<std::string>& inputs, bool& failed) {
  std::vector<fs::path> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (fs::is_directory(input, ec)) {
      std::vector<fs::path> found;
      for (const auto& entry : fs::directory_iterator(input, ec))
        if (entry.is_regular_file(ec) && isImageFile(entry.path())) found.push_back(entry.path());
      std::sort(found.begin(), found.end());
      if (found.empty()) std::cerr << "yolo-cli: warning: " << input << ": no images in folder\n";
      files.insert(files.end(), found.begin(), found.end());
    } else if (!fs::exists(input, ec) && hasGlobCharacters(input)) {
      glob_t matches{};
      const int rc = ::glob(input.c_str(), 0, nullptr, &matches);
      size_t images = 0;
      for (size_t i = 0; rc == 0 && i < matches.gl_pathc; ++i) {
        const fs::path match = matches.gl_pathv[i];
        if (fs::is_regular_file(match, ec) && isImageFile(match)) {
          files.push_back(match);
          ++images;
        }
      }
      if (images == 0) {
        std::cerr << "yolo-cli: error: " << input << ": no image files match this pattern\n";
        failed = true;
      }
      ::globfree(&matches);
    } else {
      files.emplace_back(input);
    }
  }
  return files;
}

/// Where the annotated copy of `input` goes in `outDir`: its file name, the grey-only netpbm
/// formats as PNG. Names already given out in this run (`taken`; same-named images from two
/// folders) and the input file itself (--out pointing at the input folder) get a suffix _2,
/// _3, ..., so no annotated image replaces another one or a user's original.
fs::path annotatedTarget(const fs::path& outDir, const fs::path& input, std::set<fs::path>& taken) {
  fs::path name = input.filename();
  const std::string ext = name.extension().string();
  if (!isImageFile(name) || ext == ".pgm" || ext == ".pbm") name.replace_extension(".png");
  const auto isFree = [&](const fs::path& target) {
    std::error_code ec;
    return taken.count(target) == 0 &&
           !(fs::exists(target, ec) && fs::equivalent(target, input, ec));
  };
  fs::path target = outDir / name;
  for (int n = 2; !isFree(target); ++n)
    target = outDir / (name.stem().string() + "_" + std::to_string(n) + name.extension().string());
  taken.insert(target);
  return target;
}

nlohmann::json detectionsJson(const std::vector<infer::Detection>& detections) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& d : detections) {
    list.push_back({{"x1", d.x1},
                    {"y1", d.y1},
                    {"x2", d.x2},
                    {"y2", d.y2},
                    {"score", d.score},
                    {"class", d.classId},
                    {"name", d.className}});
  }
  return list;
}

void printTable(const std::string& what, const cv::Size& size, double ms,
                const std::vector<infer::Detection>& detections) {
  std::printf("%s  %dx%d  %.1f ms  %zu detection%s\n", what.c_str(), size.width, size.height, ms,
              detections.size(), detections.size() == 1 ? "" : "s");
  if (detections.empty()) return;
  std::printf("  %-12s %6s %8s %8s %8s %8s\n", "class", "score", "x1", "y1", "x2", "y2");
  for (const auto& d : detections)
    std::printf("  %-12s %6.3f %8.1f %8.1f %8.1f %8.1f\n", d.className.c_str(), d.score, d.x1, d.y1,
                d.x2, d.y2);
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

int fourccFor(const fs::path& file) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".avi") return cv::VideoWriter::fourcc('M', 'J', 'P', 'G');
  if (ext == ".mkv") return cv::VideoWriter::fourcc('X', 'V', 'I', 'D');
  return cv::VideoWriter::fourcc('m', 'p', '4', 'v');
}

void runVideo(const DetectCliOptions& o, infer::Detector& detector,
              const infer::DetectOptions& options) {
  if (o.out.empty()) {
    std::cerr << "yolo-cli: error: --video needs --out FILE for the annotated video\n";
    throw ExitCode{Status::kUsage};
  }
  std::error_code ec;
  if (fs::exists(o.out, ec) && fs::equivalent(o.out, o.video, ec)) {
    std::cerr << "yolo-cli: error: --out " << o.out << " is the input video; give another file\n";
    throw ExitCode{Status::kUsage};
  }
  cv::VideoCapture capture(o.video);
  if (!capture.isOpened())
    throw std::runtime_error(o.video + ": cannot open video (missing file or unknown format)");
  double fps = capture.get(cv::CAP_PROP_FPS);
  if (!(fps > 0 && fps < 1000)) fps = 25;
  const int frameCount = static_cast<int>(capture.get(cv::CAP_PROP_FRAME_COUNT));
  cv::VideoWriter writer;
  ProgressLine progress;
  cv::Mat frame;
  int index = 0;
  double totalMs = 0;
  while (capture.read(frame)) {
    const auto start = std::chrono::steady_clock::now();
    const auto detections = detector.detect(frame, options);
    const double ms = millisecondsSince(start);
    totalMs += ms;
    cv::Mat canvas = toBgr8(frame).clone();
    infer::drawDetections(canvas, detections);
    if (!writer.isOpened()) {
      writer.open(o.out, fourccFor(o.out), fps, canvas.size());
      if (!writer.isOpened())
        throw std::runtime_error(o.out + ": cannot write a video here (folder or codec missing)");
    }
    writer.write(canvas);
    if (o.json) {
      nlohmann::json record{{"path", o.video},
                            {"frame", index},
                            {"width", frame.cols},
                            {"height", frame.rows},
                            {"detections", detectionsJson(detections)},
                            {"time_ms", ms}};
      std::cout << record.dump() << "\n";
    }
    ++index;
    char text[160];
    std::snprintf(text, sizeof text, "frame %d%s%s  %.1f ms/frame", index,
                  frameCount > 0 ? "/" : "",
                  frameCount > 0 ? std::to_string(frameCount).c_str() : "", totalMs / index);
    progress.update(text);
  }
  progress.finish();
  if (index == 0) throw std::runtime_error(o.video + ": no frames could be read");
  std::cerr << "wrote " << o.out << " (" << index << " frames, " << totalMs / index
            << " ms/frame)\n";
}

void runDetect(const DetectCliOptions& o) {
  if (!o.video.empty() && !o.inputs.empty()) {
    std::cerr << "yolo-cli: error: give either --video or images, not both\n";
    throw ExitCode{Status::kUsage};
  }
  if (o.video.empty() && o.inputs.empty()) {
    std::cerr << "yolo-cli: error: no input images (give files, folders or patterns)\n";
    throw ExitCode{Status::kUsage};
  }
  bool failed = false;
  const std::vector<fs::path> files = expandInputs(o.inputs, failed);
  // A few images are done sooner without the set-up that speeds up each of many.
  const bool manyImages =
      !o.video.empty() || static_cast<int>(files.size()) >= infer::kManyImagesFrom;
  auto detector = infer::Detector::load(
      o.model, o.device, o.threads,
      manyImages ? infer::DetectorUse::kManyImages : infer::DetectorUse::kFewImages);
  infer::DetectOptions options;
  options.scoreThreshold = o.score;
  options.iouThreshold = o.iou;
  options.softNms = o.softNms;
  options.insideCover = o.insideCover;
  options.maxDetections = o.maxDetections;

  if (!o.video.empty()) {
    runVideo(o, *detector, options);
    return;
  }

  if (!o.out.empty()) fs::create_directories(o.out);
  std::set<fs::path> written;
  for (const fs::path& file : files) {
    try {
      const cv::Mat image = readImageOrThrow(file);
      const auto start = std::chrono::steady_clock::now();
      const auto detections = detector->detect(image, options);
      const double ms = millisecondsSince(start);
      if (o.json) {
        nlohmann::json record{{"path", file.string()},
                              {"width", image.cols},
                              {"height", image.rows},
                              {"detections", detectionsJson(detections)},
                              {"time_ms", ms}};
        std::cout << record.dump() << std::endl;
      } else {
        printTable(file.string(), image.size(), ms, detections);
      }
      if (!o.out.empty()) {
        cv::Mat canvas = toBgr8(image).clone();
        infer::drawDetections(canvas, detections);
        const fs::path target = annotatedTarget(o.out, file, written);
        if (!cv::imwrite(target.string(), canvas))
          throw std::runtime_error(target.string() + ": cannot write the annotated image");
      }
    } catch (const std::exception& e) {
      std::cout.flush();
      std::cerr << "yolo-cli: error: " << e.what() << "\n";
      failed = true;
    }
  }
  if (failed) throw ExitCode{Status::kError};
}

}  // namespace

void addDetectCommand(CLI::App& app) {
  auto o = std::make_shared<DetectCliOptions>();
  auto* cmd = app.add_subcommand("detect", commandSummary("detect"));
  cmd->footer(
      "Examples:\n"
      "  yolo-cli detect --model runs/fast photo.png scans/ 'more/*.jpg'\n"
      "  yolo-cli detect --model runs/fast/best.pt --json --out annotated/ test/*.jpg\n"
      "  yolo-cli detect --model runs/fast --video in.mp4 --out annotated.mp4\n"
      "time_ms is the detector's time per image (preprocessing, network, NMS), without "
      "reading the file. An unreadable image is reported and skipped; the exit status is "
      "then 1.");
  cmd->add_option("--model", o->model, "Run folder (best.pt, else last.pt) or checkpoint file")
      ->required();
  cmd->add_option("inputs", o->inputs, "Images, folders or glob patterns");
  cmd->add_option("--score", o->score, "Score threshold (default 0.3)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--iou", o->iou, "NMS IoU threshold (default 0.45)")->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--soft-nms", o->softNms, "Gaussian soft-NMS (sigma 0.3) instead of hard NMS");
  cmd->add_option("--inside-cover", o->insideCover,
                  "Drop a box more than this share inside a better box (of any class): one "
                  "box per object (default 0.8; 1 = off, per-class NMS only, as eval)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-det", o->maxDetections, "At most N detections per image (default 100)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--threads", o->threads, "Compute threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--device", o->device, "auto, cpu or cuda:N (default auto)");
  cmd->add_flag("--json", o->json, "One JSON record per line per image");
  cmd->add_option("--out", o->out,
                  "Folder for annotated images; with --video, the annotated video file");
  cmd->add_option("--video", o->video, "Video file to annotate (needs --out FILE)");
  cmd->callback([o] { runDetect(*o); });
}

}  // namespace yolo::cli
