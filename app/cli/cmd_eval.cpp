// yolo-cli eval: mAP of a trained detector on an annotation file or on a dataset's validation
// split (the tutorial's evaluator, PASCAL VOC mAP@0.5, plus COCO-style mAP@0.5:0.95).

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "app/cli/progress_line.h"
#include "core/eval/error_analysis.h"
#include "core/eval/evaluate_model.h"
#include "core/eval/evaluation_set.h"
#include "core/infer/detector.h"

namespace yolo::cli {
namespace fs = std::filesystem;

namespace {

struct EvalCliOptions {
  std::string model;
  std::string data;
  std::string device = "auto";
  double score = 0.05;  // double: the JSON then says 0.05, not 0.0500000007
  double iou = 0.45;
  double errorsScore = 0.3;  // the Detect view's threshold: the boxes a user sees
  double errorsIou = 0.5;    // the mAP@0.5's
  int threads = 0;
  bool json = false;
};

const std::string& nameOf(const std::vector<std::string>& names, int classId,
                          const std::string& background) {
  return classId < static_cast<int>(names.size()) ? names[static_cast<size_t>(classId)]
                                                  : background;
}

// What went wrong at the errors' threshold, in a few lines: the kinds of error and the
// classes most often read as another.
void printErrors(const eval::ErrorAnalysis& a, const std::vector<std::string>& names) {
  const eval::ErrorCounts& n = a.counts;
  std::printf(
      "\nErrors at score >= %.3g and IoU %.3g (--errors-score, --errors-iou): %d true "
      "positives;\n"
      "  %d false positives: %d wrong class, %d duplicates, %d poorly placed, %d on "
      "background\n"
      "  %d of %d objects not found: %d read as another class, %d with only a poorly placed "
      "box, %d missed\n",
      a.scoreThreshold, a.iouThreshold, n.truePositives, n.falsePositives(), n.wrongClass,
      n.duplicates, n.poorLocalisation, n.background, n.falseNegatives(), n.objects,
      n.foundAsOtherClass, n.poorlyLocated, n.missed);
  struct Confusion {
    int truth, predicted, count;
  };
  std::vector<Confusion> confusions;
  const int c = a.confusion.numClasses;
  for (int t = 0; t < c; ++t)
    for (int p = 0; p < c; ++p)
      if (t != p && a.confusion.at(t, p) > 0) confusions.push_back({t, p, a.confusion.at(t, p)});
  std::stable_sort(confusions.begin(), confusions.end(),
                   [](const Confusion& x, const Confusion& y) { return x.count > y.count; });
  if (confusions.empty()) return;
  std::printf("  most often read as another class:");
  for (size_t i = 0; i < std::min<size_t>(5, confusions.size()); ++i)
    std::printf("%s %s as %s (%d)", i ? "," : "", nameOf(names, confusions[i].truth, "").c_str(),
                nameOf(names, confusions[i].predicted, "").c_str(), confusions[i].count);
  std::printf("\n");
}

std::vector<std::string> classNamesOf(const eval::EvaluationResult& result) {
  std::vector<std::string> names;
  for (const eval::ClassEvaluation& c : result.perClass) names.push_back(c.name);
  return names;
}

nlohmann::json boxJson(float x1, float y1, float x2, float y2) { return {x1, y1, x2, y2}; }

// The confusion matrix and, for each image with errors, what went wrong there.
nlohmann::json errorsJson(const eval::EvaluationReport& r, const eval::ErrorAnalysis& a,
                          const std::vector<std::string>& names, const EvalCliOptions& o) {
  const eval::ConfusionMatrix& m = a.confusion;
  nlohmann::json labels = nlohmann::json::array();
  for (int c = 0; c <= m.numClasses; ++c) labels.push_back(nameOf(names, c, "background"));
  nlohmann::json counts = nlohmann::json::array();
  for (int t = 0; t <= m.numClasses; ++t) {
    nlohmann::json row = nlohmann::json::array();
    for (int p = 0; p <= m.numClasses; ++p) row.push_back(m.at(t, p));
    counts.push_back(row);
  }
  nlohmann::json images = nlohmann::json::array();
  for (const eval::ImageErrors& image : a.images) {
    if (image.errorCount() == 0) continue;
    const auto& dets = r.detections[static_cast<size_t>(image.image)];
    const auto& truth = r.groundTruth[static_cast<size_t>(image.image)];
    nlohmann::json falsePositives = nlohmann::json::array(), notFound = nlohmann::json::array();
    for (const eval::DetectionVerdict& v : image.detections) {
      if (v.outcome == eval::DetectionOutcome::kTruePositive ||
          v.outcome == eval::DetectionOutcome::kIgnored)
        continue;
      const infer::Detection& d = dets[static_cast<size_t>(v.detection)];
      falsePositives.push_back({{"kind", eval::toString(v.outcome)},
                                {"box", boxJson(d.x1, d.y1, d.x2, d.y2)},
                                {"class", d.classId},
                                {"score", d.score},
                                {"object", v.object},
                                {"iou", v.iou}});
    }
    for (const eval::ObjectVerdict& object : image.objects) {
      if (object.outcome == eval::ObjectOutcome::kFound) continue;
      const data::Box& b = truth[static_cast<size_t>(object.object)];
      notFound.push_back({{"kind", eval::toString(object.outcome)},
                          {"box", boxJson(b.x1, b.y1, b.x2, b.y2)},
                          {"class", b.classId},
                          {"object", object.object},
                          {"detection", object.detection}});
    }
    images.push_back({{"image", r.imagePaths[static_cast<size_t>(image.image)].string()},
                      {"errors", image.errorCount()},
                      {"false_positives", falsePositives},
                      {"not_found", notFound}});
  }
  const eval::ErrorCounts& n = a.counts;
  return {{"score_threshold", o.errorsScore},  // as given: 0.3, not 0.30000001
          {"iou_threshold", o.errorsIou},
          {"confusion_matrix", {{"labels", labels}, {"counts", counts}}},
          {"counts",
           {{"true_positives", n.truePositives},
            {"wrong_class", n.wrongClass},
            {"duplicate", n.duplicates},
            {"poor_localisation", n.poorLocalisation},
            {"background", n.background},
            {"objects", n.objects},
            {"found_as_other_class", n.foundAsOtherClass},
            {"poorly_located", n.poorlyLocated},
            {"missed", n.missed}}},
          {"images", images}};
}

void printReport(const eval::EvaluationReport& r, const fs::path& data) {
  const eval::EvaluationResult& e = r.result;
  std::printf("Evaluated %d images of %s: %.1f images/s\n", r.images, data.string().c_str(),
              r.imagesPerSecond);
  if (!e.unreadableImages.empty())
    std::printf("Left out %zu images that could not be read (named above).\n",
                e.unreadableImages.size());
  std::printf(
      "Detections kept with score > %.3g, NMS IoU %.3g; precision and recall at that "
      "score, AP over all kept detections.\n\n",
      r.scoreThreshold, r.iouThreshold);
  std::printf("%-5s %-12s %7s %7s %9s %9s %9s %9s\n", "class", "name", "GT", "dets", "AP@0.5",
              "AP@.5:.95", "precision", "recall");
  for (const auto& c : e.perClass) {
    if (c.groundTruth == 0 && c.detections == 0) continue;
    if (c.inMean()) {
      std::printf("%-5d %-12s %7d %7d %9.4f %9.4f %9.4f %9.4f\n", c.classId, c.name.c_str(),
                  c.groundTruth, c.detections, c.ap50, c.ap50_95, c.precision, c.recall);
    } else {
      std::printf("%-5d %-12s %7d %7d %9s %9s %9.4f %9s  (not in the ground truth)\n", c.classId,
                  c.name.c_str(), c.groundTruth, c.detections, "-", "-", c.precision, "-");
    }
  }
  std::printf(
      "\nmAP@0.5       %.4f  (PASCAL VOC all-point, mean over %d classes with ground "
      "truth)\n",
      e.map50, e.classesInMean);
  std::printf("mAP@0.5:0.95  %.4f  (COCO-style, 101-point)\n", e.map50_95);
  if (e.ignoredRegions > 0) {
    int ignoredDetections = 0;
    for (const auto& c : e.perClass) ignoredDetections += c.ignoredDetections;
    std::printf(
        "Ignored: %d difficult objects or crowd regions, %d detections on them (neither true "
        "nor false positives)\n",
        e.ignoredRegions, ignoredDetections);
  }
}

nlohmann::json reportJson(const eval::EvaluationReport& r, const eval::ErrorAnalysis& errors,
                          const EvalCliOptions& o) {
  nlohmann::json perClass = nlohmann::json::array();
  for (const auto& c : r.result.perClass) {
    // Column-wise, ready to plot: recall[i], precision[i] after the detections >= score[i].
    nlohmann::json recall = nlohmann::json::array(), precision = nlohmann::json::array(),
                   score = nlohmann::json::array();
    for (const eval::PrPoint& p : c.prCurve) {
      recall.push_back(p.recall);
      precision.push_back(p.precision);
      score.push_back(p.score);
    }
    perClass.push_back(
        {{"class", c.classId},
         {"name", c.name},
         {"ap50", c.ap50},
         {"ap50_95", c.ap50_95},
         {"precision", c.precision},
         {"recall", c.recall},
         {"ground_truth", c.groundTruth},
         {"detections", c.detections},
         {"ignored_regions", c.ignoredRegions},
         {"ignored_detections", c.ignoredDetections},
         {"in_mean", c.inMean()},
         {"pr_curve", {{"recall", recall}, {"precision", precision}, {"score", score}}}});
  }
  return {{"map50", r.result.map50},
          {"map50_95", r.result.map50_95},
          {"images", r.images},
          {"images_per_s", r.imagesPerSecond},
          {"score_threshold", o.score},
          {"iou_threshold", o.iou},
          {"classes_in_mean", r.result.classesInMean},
          {"unreadable_images", r.result.unreadableImages},
          {"per_class", perClass},
          {"errors", errorsJson(r, errors, classNamesOf(r.result), o)}};
}

void runEval(const EvalCliOptions& o) {
  const fs::path data = o.data;
  auto detector = infer::Detector::load(o.model, o.device, o.threads);
  ProgressLine progress;
  auto showProgress = [&](int done, int total) {
    progress.update("evaluating " + progressBar(static_cast<double>(done) / total) + " " +
                        std::to_string(done) + "/" + std::to_string(total),
                    /*force=*/done == total);
    return true;
  };
  const float score = static_cast<float>(o.score), iou = static_cast<float>(o.iou);
  eval::EvaluationSet set = eval::openEvaluationSet(data, *detector);
  std::cerr << set.description << "\n";
  if (set.classNamesDiffer)
    std::cerr << "yolo-cli: warning: the dataset's class names differ from the model's; class "
                 "ids are compared as they are\n";
  eval::EvaluationReport report =
      eval::evaluateOnSamples(*detector, set.samples, score, iou, showProgress);
  report.issues = std::move(set.issues);
  progress.finish();
  for (const auto& issue : report.issues)
    std::cerr << "yolo-cli: warning: skipped " << data::toString(issue) << "\n";
  for (const auto& why : report.result.unreadableImages)
    std::cerr << "yolo-cli: warning: skipped " << why << "\n";
  if (report.images == 0) throw std::runtime_error(data.string() + ": no images to evaluate");
  eval::ErrorAnalysisOptions errorOptions;
  errorOptions.scoreThreshold = static_cast<float>(o.errorsScore);
  errorOptions.iouThreshold = o.errorsIou;
  const eval::ErrorAnalysis errors =
      eval::analyseErrors(report.groundTruth, report.detections,
                          static_cast<int>(detector->classNames().size()), errorOptions);
  if (o.json) {
    std::cout << reportJson(report, errors, o).dump() << "\n";
  } else {
    printReport(report, data);
    printErrors(errors, detector->classNames());
  }
}

}  // namespace

void addEvalCommand(CLI::App& app) {
  auto o = std::make_shared<EvalCliOptions>();
  auto* cmd = app.add_subcommand("eval", commandSummary("eval"));
  cmd->footer(
      "Examples:\n"
      "  yolo-cli eval --model runs/fast --data datasets/generated/mnist/test.txt\n"
      "  yolo-cli eval --model runs/fast/best.pt --data datasets/generated/mnist --json\n"
      "mAP@0.5 follows the tutorial's evaluator (PASCAL VOC rules, +1-pixel IoU, all-point "
      "interpolation), averaged over the classes present in the ground truth.\n"
      "--json: map50, map50_95, images, images_per_s, score_threshold, unreadable_images (\"path: "
      "why\" for each image left out) and per_class, each with "
      "class, name, ap50, ap50_95, precision, recall, ground_truth, detections, "
      "ignored_regions (VOC difficult, COCO iscrowd), ignored_detections (on those) and pr_curve "
      "(columns recall, precision, score: one point per detection, by descending score), and "
      "errors: at --errors-score and --errors-iou, the confusion_matrix (labels: the classes, "
      "then background; counts[truth][predicted]), the counts of each kind of error, and "
      "images: for each image with errors, its false_positives (kind wrong_class, duplicate, "
      "poor_localisation or background; box, class, score, the object it concerns and their "
      "IoU) and the objects not_found (kind found_as_other_class, poorly_located or missed; "
      "box, class, the detection nearest).");
  cmd->add_option("--model", o->model, "Run folder (best.pt, else last.pt) or checkpoint file")
      ->required();
  cmd->add_option("--data", o->data,
                  "Annotation file (evaluated whole), or any dataset --train reads (its "
                  "validation split: test.txt of a make-data folder)")
      ->required()
      ->check(CLI::ExistingPath);
  // From 0.001: the detector keeps no candidates below it (infer::kCandidateMinScore), so a
  // lower threshold would be reported but not applied.
  cmd->add_option("--score", o->score,
                  "Score threshold of kept detections, 0.001 to 1 (default 0.05)")
      ->check(CLI::Range(0.001, 1.0));
  cmd->add_option("--iou", o->iou, "NMS IoU threshold (default 0.45)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threads", o->threads, "Compute threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--device", o->device, "auto, cpu or cuda:N (default auto)");
  cmd->add_option("--errors-score", o->errorsScore,
                  "Score from which detections are judged in the error analysis and the "
                  "confusion matrix (default 0.3, the Detect view's)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--errors-iou", o->errorsIou,
                  "IoU a detection needs to find an object in the error analysis (default 0.5)")
      ->check(CLI::Range(0.01, 1.0));
  cmd->add_flag("--json", o->json, "Print the report as one JSON object");
  cmd->callback([o] { runEval(*o); });
}

}  // namespace yolo::cli
