// Batch-1 CPU inference: our Detector::detect() against OpenCV DNN running the same model
// exported with saveDarknet() (cv::dnn::readNetFromDarknet), both from a BGR image to final
// detections: letterbox, network, decode, score threshold, per-class NMS. Also the bare
// forward pass of the plain network, the BatchNorm-folded one, the folded one with its
// weights prepacked for oneDNN, and the OneDnnNetwork (the Detector's network where built)
// with direct convolutions only and with its 3x3 convs as Winograd convolutions, so each
// rewrite's share is visible. Prints
// medians, ratios ours / OpenCV and whether the detections are the same; never fails on time.
//   bench_inference [--runs N] [--yolov3-runs N] [--warmup N] [--threads 1,2]
//                   [--models tiny320,tiny416,yolov3-416] [--score 0.3]

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgproc.hpp>

#include "bench/median_time.h"
#include "core/infer/detector.h"
#include "core/infer/onednn_network.h"
#include "core/model/calibrate_batchnorm.h"
#include "core/model/darknet_io.h"
#include "core/model/fold_batchnorm.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/util/compute_threads.h"
#include "core/util/letterbox.h"

namespace fs = std::filesystem;
using namespace yolo;

namespace {

constexpr int kClasses = 10;

using yolo::bench::medianMs;

double processCpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// Wall and process-CPU medians of `a` and `b` run in alternating blocks of kBlockRuns, so
/// that both see the same share of a busy machine. Each block starts with one untimed run:
/// the other side's thread pool (OpenCV's TBB workers, libtorch's OpenMP threads) spins for a
/// while after its last run, and the first run after a switch would pay for that, which a
/// program running only one of them never does.
struct PairTimes {
  double wallA, wallB, cpuA, cpuB;
};
constexpr int kBlockRuns = 5;
template <typename A, typename B>
PairTimes interleavedMs(int warmup, int runs, A&& a, B&& b) {
  for (int i = 0; i < warmup; ++i) {
    a();
    b();
  }
  std::vector<double> wa, wb, ca, cb;
  const auto time = [](auto&& f, std::vector<double>& wall, std::vector<double>& cpu) {
    const double c0 = processCpuMs();
    const auto start = std::chrono::steady_clock::now();
    f();
    wall.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    cpu.push_back(processCpuMs() - c0);
  };
  for (int done = 0; done < runs; done += kBlockRuns) {
    const int block = std::min(kBlockRuns, runs - done);
    a();
    for (int i = 0; i < block; ++i) time(a, wa, ca);
    b();
    for (int i = 0; i < block; ++i) time(b, wb, cb);
  }
  return {median(wa), median(wb), median(ca), median(cb)};
}

/// A 640x480 scene with structure (shapes and digit-like strokes on noise).
cv::Mat sceneImage() {
  cv::Mat image(480, 640, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(image, cv::RNG::UNIFORM, 0, 255);
  cv::GaussianBlur(image, image, {7, 7}, 2);
  for (int i = 0; i < 12; ++i) {
    const cv::Point c(rng.uniform(40, 600), rng.uniform(40, 440));
    const cv::Scalar color(rng.uniform(0, 255), rng.uniform(0, 255), rng.uniform(0, 255));
    if (i % 3 == 0)
      cv::circle(image, c, rng.uniform(10, 60), color, -1);
    else if (i % 3 == 1)
      cv::rectangle(image, c, c + cv::Point(rng.uniform(20, 90), rng.uniform(20, 90)), color, -1);
    else
      cv::putText(image, std::to_string(i % 10), c, cv::FONT_HERSHEY_SIMPLEX, 3, color, 6);
  }
  return image;
}

/// OpenCV DNN with the same pre- and post-processing as Detector::detect: our letterbox, the
/// [yolo] outputs OpenCV gives (rows cx, cy, w, h relative to the input, objectness, class
/// scores already multiplied by objectness), score > threshold, clip, per-class NMSBoxes.
std::vector<infer::Detection> detectOpenCv(cv::dnn::Net& net, const std::vector<std::string>& outs,
                                           const cv::Mat& bgr, int size,
                                           const infer::DetectOptions& options) {
  yolo::LetterboxGeometry g;
  const cv::Mat rgb = yolo::letterboxRgb(bgr, size, &g);
  net.setInput(cv::dnn::blobFromImage(rgb, 1.0 / 255.0, {}, {}, /*swapRB=*/false));
  std::vector<cv::Mat> heads;
  net.forward(heads, outs);
  std::map<int, std::vector<cv::Rect2d>> boxes;
  std::map<int, std::vector<float>> scores;
  const float w = static_cast<float>(bgr.cols), h = static_cast<float>(bgr.rows);
  for (const cv::Mat& m : heads) {
    for (int r = 0; r < m.rows; ++r) {
      const float* row = m.ptr<float>(r);
      const float* best = std::max_element(row + 5, row + m.cols);
      if (!(*best > options.scoreThreshold)) continue;
      const float cx = row[0] * size, cy = row[1] * size, bw = row[2] * size, bh = row[3] * size;
      const float x1 = std::clamp(g.toSourceX(cx - bw / 2), 0.f, w);
      const float y1 = std::clamp(g.toSourceY(cy - bh / 2), 0.f, h);
      const float x2 = std::clamp(g.toSourceX(cx + bw / 2), 0.f, w);
      const float y2 = std::clamp(g.toSourceY(cy + bh / 2), 0.f, h);
      if (!(x2 > x1 && y2 > y1)) continue;
      const int cls = static_cast<int>(best - (row + 5));
      boxes[cls].emplace_back(x1, y1, x2 - x1, y2 - y1);
      scores[cls].push_back(*best);
    }
  }
  std::vector<infer::Detection> out;
  for (auto& [cls, b] : boxes) {
    std::vector<int> keep;
    cv::dnn::NMSBoxes(b, scores[cls], options.scoreThreshold, options.iouThreshold, keep);
    for (int k : keep) {
      infer::Detection d;
      d.x1 = static_cast<float>(b[k].x);
      d.y1 = static_cast<float>(b[k].y);
      d.x2 = static_cast<float>(b[k].x + b[k].width);
      d.y2 = static_cast<float>(b[k].y + b[k].height);
      d.score = scores[cls][static_cast<size_t>(k)];
      d.classId = cls;
      out.push_back(d);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  if (options.maxDetections > 0 && static_cast<int>(out.size()) > options.maxDetections)
    out.resize(static_cast<size_t>(options.maxDetections));
  return out;
}

/// Largest box-corner difference in pixels between two detection lists, each detection
/// paired with the unpaired one of the same class nearest to it (two scores a rounding
/// apart may come out in either order); infinity when the counts differ or one finds no
/// partner of its class.
double maxBoxDifference(const std::vector<infer::Detection>& a,
                        const std::vector<infer::Detection>& b) {
  if (a.size() != b.size()) return INFINITY;
  const auto cornerDifference = [](const infer::Detection& p, const infer::Detection& q) {
    return std::max({std::abs(p.x1 - q.x1), std::abs(p.y1 - q.y1), std::abs(p.x2 - q.x2),
                     std::abs(p.y2 - q.y2)});
  };
  std::vector<bool> paired(b.size(), false);
  double worst = 0;
  for (const auto& p : a) {
    size_t best = b.size();
    for (size_t j = 0; j < b.size(); ++j) {
      if (paired[j] || b[j].classId != p.classId) continue;
      if (best == b.size() || cornerDifference(p, b[j]) < cornerDifference(p, b[best])) best = j;
    }
    if (best == b.size()) return INFINITY;
    paired[best] = true;
    worst = std::max(worst, static_cast<double>(cornerDifference(p, b[best])));
  }
  return worst;
}

struct Case {
  std::string label, architecture;
  int size;
};

std::vector<int> parseInts(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) out.push_back(std::stoi(item));
  return out;
}

double loadAverage() {
  std::ifstream in("/proc/loadavg");
  double one = NAN;
  in >> one;
  return one;
}

}  // namespace

int main(int argc, char** argv) {
  // OpenMP's default short spin between parallel regions, as `yolo-cli detect` runs (only
  // training processes make OpenMP threads sleep: see core/util/process_environment.h).
  int runs = 15, yolov3Runs = 5, warmup = 2;
  std::vector<int> threadCounts{1, 2};
  std::string models = "tiny320,tiny416,yolov3-416";
  float score = 0.3f;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--runs")
      runs = std::stoi(value);
    else if (key == "--yolov3-runs")
      yolov3Runs = std::stoi(value);
    else if (key == "--warmup")
      warmup = std::stoi(value);
    else if (key == "--threads")
      threadCounts = parseInts(value);
    else if (key == "--models")
      models = value;
    else if (key == "--score")
      score = std::stof(value);
    else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      return 2;
    }
  }
  std::vector<Case> cases;
  for (const Case& c : {Case{"tiny320", "yolov3-tiny", 320}, Case{"tiny416", "yolov3-tiny", 416},
                        Case{"yolov3-416", "yolov3", 416}})
    if (models.find(c.label) != std::string::npos) cases.push_back(c);

  const fs::path dir = fs::temp_directory_path() / "yolo-bench-inference";
  fs::create_directories(dir);
  const cv::Mat image = sceneImage();
  infer::DetectOptions options;
  options.scoreThreshold = score;
  std::vector<std::string> names;
  for (int c = 0; c < kClasses; ++c) names.push_back(std::to_string(c));

  std::printf(
      "bench_inference: libtorch %s, OpenCV %s, batch 1, 640x480 image, score > %.2f, "
      "load average at start %.2f\n",
      TORCH_VERSION, CV_VERSION, score, loadAverage());
  std::printf("%-11s %3s | %9s %9s %9s %9s %9s | %9s %9s %7s %7s | %5s %9s | %5s\n", "model", "thr",
              "fwd plain", "folded", "+packed", "oneDNN", "+Winograd", "detect()", "OpenCV",
              "ratio", "CPU", "dets", "max |dx|", "load");
  for (const Case& c : cases) {
    model::ModelSpec spec = model::makeModelSpec(c.architecture, kClasses, c.size);
    spec.init = "kaiming";
    torch::manual_seed(3);
    auto net = model::createModel(spec);
    {
      // BatchNorm statistics of the scene itself: activations as a trained net's, roughly.
      yolo::LetterboxGeometry g;
      const cv::Mat rgb = yolo::letterboxRgb(image, c.size, &g);
      cv::Mat f;
      rgb.convertTo(f, CV_32F, 1.0 / 255.0);
      const auto x = torch::from_blob(f.ptr<float>(), {1, c.size, c.size, 3}).permute({0, 3, 1, 2});
      model::calibrateBatchNorm(*net, torch::cat({x, torch::rand_like(x)}, 0).contiguous());
    }
    const fs::path caseDir = dir / c.label;
    fs::create_directories(caseDir);
    run::CheckpointHeader header;
    header.config.model = spec;
    header.classNames = names;
    run::saveCheckpoint(caseDir / "last.pt", header, *net, nullptr);
    model::saveDarknet(*net, names, caseDir, "model");

    // The rewrites one by one, on copies of the same weights.
    auto folded = model::createModel(spec);
    run::loadCheckpoint(caseDir / "last.pt", *folded, nullptr);
    folded->eval();
    model::foldBatchNorm(*folded);
    auto packed = model::createModel(spec);
    run::loadCheckpoint(caseDir / "last.pt", *packed, nullptr);
    packed->eval();
    model::foldBatchNorm(*packed);
    if (model::canPrepackForCpuInference()) model::prepackForCpuInference(*packed);
    const auto input = torch::rand({1, 3, c.size, c.size});

    const int n = c.architecture == "yolov3" ? yolov3Runs : runs;
    for (int threads : threadCounts) {
      setComputeThreads(threads);
      cv::setNumThreads(threads);
      const auto forwardMs = [&](model::YoloNetImpl& m, const torch::Tensor& x) {
        return medianMs(warmup, n, [&] {
          torch::InferenceMode guard;
          m.forward(x);
        });
      };
      const double plain = forwardMs(*net, input);
      const double fold = forwardMs(*folded, input);
      const double pack = forwardMs(*packed, input);
      // oneDNN balances its primitives for the thread count set when they are made.
      const auto oneDnnMs = [&](bool winograd) {
        if (!infer::oneDnnNetworkAvailable()) return std::nan("");
        infer::OneDnnNetwork onednn(*net, winograd);
        return medianMs(warmup, n, [&] { onednn.forward(input); });
      };
      const double direct = oneDnnMs(false), winograd = oneDnnMs(true);

      auto detector = infer::Detector::load(caseDir, "cpu", threads);
      cv::dnn::Net cvNet = cv::dnn::readNetFromDarknet((caseDir / "model.cfg").string(),
                                                       (caseDir / "model.weights").string());
      cvNet.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
      cvNet.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
      const auto outs = cvNet.getUnconnectedOutLayersNames();
      std::vector<infer::Detection> ours, theirs;
      const PairTimes t = interleavedMs(
          warmup, n, [&] { ours = detector->detect(image, options); },
          [&] { theirs = detectOpenCv(cvNet, outs, image, c.size, options); });
      const double oursMs = t.wallA, cvMs = t.wallB;
      const double diff = maxBoxDifference(ours, theirs);
      char dets[32];
      if (ours.size() == theirs.size())
        std::snprintf(dets, sizeof dets, "%zu", ours.size());
      else
        std::snprintf(dets, sizeof dets, "%zu/%zu", ours.size(), theirs.size());
      std::printf(
          "%-11s %3d | %9.1f %9.1f %9.1f %9.1f %9.1f | %9.1f %9.1f %6.2fx %6.2fx | %5s %9.2g | "
          "%5.2f\n",
          c.label.c_str(), threads, plain, fold, pack, direct, winograd, oursMs, cvMs,
          oursMs / cvMs, t.cpuA / t.cpuB, dets, diff, loadAverage());
      std::fflush(stdout);
    }
  }
  std::printf(
      "ms are medians of %d runs (%d for yolov3) after %d warm-up runs; detect() and OpenCV "
      "run in alternating blocks of 5 (one untimed run first). ratio = detect() / OpenCV wall "
      "time, CPU = the same for process CPU "
      "time (steadier on a busy machine); targets: <= 0.7x on 2 threads, <= 0.8x on 1. dets: "
      "detections (ours/OpenCV when they differ); max |dx|: largest box-corner difference in "
      "pixels between the two lists, paired by class and position (inf: counts differ or a "
      "detection has no partner of its class).\n",
      runs, yolov3Runs, warmup);
  fs::remove_all(dir);
  return 0;
}
