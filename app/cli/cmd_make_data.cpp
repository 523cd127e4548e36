// yolo-cli make-data: the synthetic MNIST detection dataset, from the command line.
#include "app/cli/cli_description.h"
#include "app/cli/commands.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/data/digit_source.h"
#include "core/data/generator.h"

namespace yolo::cli {
namespace {

struct MakeDataOptions {
  std::string out;
  std::optional<int> train;
  std::optional<int> test;
  std::optional<std::uint64_t> seed;
  std::optional<int> jpegQuality;
  std::optional<int> canvas;
  std::string digits;
  std::string idxImages;
  std::string idxLabels;
  std::string config;
  std::string variant;
  std::string saveConfig;
  int threads = 0;
  bool quiet = false;
};

std::atomic<bool> gInterrupted{false};

extern "C" void onInterrupt(int) { gInterrupted = true; }

// Ctrl+C asks the generator to stop between images, so no annotation file is left half
// written; the previous handler comes back when the command ends.
class InterruptGuard {
 public:
  InterruptGuard() : previous_(std::signal(SIGINT, onInterrupt)) {}
  ~InterruptGuard() { std::signal(SIGINT, previous_); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  void (*previous_)(int);
};

data::DigitSet loadDigits(const MakeDataOptions& o) {
  if (!o.idxImages.empty()) return data::loadMnistIdx(o.idxImages, o.idxLabels);
  if (!o.digits.empty()) return data::loadDigitsFolder(o.digits);
  const auto found = data::findDefaultDigits();
  if (!found)
    throw std::runtime_error(
        "no MNIST digits found: run datasets/fetch_mnist.sh, set YOLO_DIGITS_DIR, or pass "
        "--digits DIR (the folder holding 0.json .. 9.json) or --idx-images/--idx-labels");
  return data::loadDigitsFolder(*found);
}

void run(const MakeDataOptions& o) {
  data::GeneratorConfig config;
  if (!o.variant.empty()) {
    try {
      config = data::generatorVariant(o.variant);
    } catch (const std::invalid_argument& e) {
      std::cerr << "yolo-cli make-data: " << e.what() << "\n";
      throw ExitCode{Status::kUsage};
    }
  }
  if (!o.config.empty()) config = data::loadGeneratorConfig(o.config);
  if (o.train) config.trainImages = *o.train;
  if (o.test) config.testImages = *o.test;
  if (o.seed) config.seed = *o.seed;
  if (o.jpegQuality) config.jpegQuality = *o.jpegQuality;
  if (o.canvas) config.canvasWidth = config.canvasHeight = *o.canvas;
  try {
    data::validate(config);
  } catch (const std::invalid_argument& e) {
    std::cerr << "yolo-cli make-data: " << e.what() << "\n";
    throw ExitCode{Status::kUsage};
  }
  if (!o.saveConfig.empty()) {
    const std::filesystem::path folder = std::filesystem::path(o.saveConfig).parent_path();
    std::error_code ignored;  // saveGeneratorConfig names the folder if this failed
    if (!folder.empty()) std::filesystem::create_directories(folder, ignored);
    data::saveGeneratorConfig(o.saveConfig, config);
  }

  const data::DigitSet digits = loadDigits(o);

  gInterrupted = false;
  const InterruptGuard guard;

  int lastPercent = -1;
  auto progress = [&](int done, int total) {
    if (o.quiet || total == 0) return;
    const int percent = done * 100 / total;
    if (percent == lastPercent && done != total) return;
    lastPercent = percent;
    std::fprintf(stderr, "\rmake-data: %d/%d images (%d%%)", done, total, percent);
    if (done == total) std::fputc('\n', stderr);
    std::fflush(stderr);
  };
  const data::GenerateSummary s =
      data::generateDataset(config, digits, o.out, progress, &gInterrupted, o.threads);
  if (s.cancelled) {
    if (!o.quiet) std::fputc('\n', stderr);
    std::cerr << "yolo-cli make-data: interrupted; annotation files in " << o.out
              << " were not written\n";
    throw ExitCode{Status::kInterrupted};
  }

  std::cout << "dataset: " << o.out << "\n"
            << "images: " << s.trainImages << " train, " << s.testImages << " test\n"
            << "boxes: " << s.totalBoxes() << "\n"
            << "class   train   test\n";
  for (int d = 0; d < data::kDigitClasses; ++d) {
    char row[64];
    std::snprintf(row, sizeof row, "%5d %7d %6d\n", d, s.trainBoxesPerClass[d],
                  s.testBoxesPerClass[d]);
    std::cout << row;
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
  std::cout << "skipped placements: " << s.skippedPlacements << "\n"
            << "seconds: " << seconds << "\n";
}

}  // namespace

void addMakeDataCommand(CLI::App& app) {
  auto options = std::make_shared<MakeDataOptions>();
  auto* cmd = app.add_subcommand("make-data", commandSummary("make-data"));
  cmd->add_option("--out", options->out, "Output folder (created if needed)")->required();
  cmd->add_option("--train", options->train, "Training images (default 4000)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--test", options->test, "Test images (default 200)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--seed", options->seed, "Random seed (default 0); same seed, same files");
  auto* digits =
      cmd->add_option("--digits", options->digits,
                      "Folder with the MNIST digits 0.json .. 9.json (default: the fetched "
                      "datasets/mnist/digits or $YOLO_DIGITS_DIR)");
  auto* idxImages =
      cmd->add_option("--idx-images", options->idxImages, "MNIST IDX image file (plain or .gz)");
  auto* idxLabels =
      cmd->add_option("--idx-labels", options->idxLabels, "MNIST IDX label file (plain or .gz)");
  idxImages->needs(idxLabels);
  idxLabels->needs(idxImages);
  digits->excludes(idxImages);
  auto* config = cmd->add_option("--config", options->config,
                                 "Generator config JSON; the other flags override its values");
  cmd->add_option("--variant", options->variant,
                  "Built-in look of the pages: default; harder (grey, noisy, blurred paper, "
                  "lower contrast, any digit size, up to 10 a page); drawn (1-3 large, "
                  "thick, slightly turned digits, like those drawn with a mouse)")
      ->excludes(config);
  cmd->add_option("--save-config", options->saveConfig,
                  "Write the effective generator config as JSON to this file");
  cmd->add_option("--jpeg-quality", options->jpegQuality, "JPEG quality 0..100 (default 95)")
      ->check(CLI::Range(0, 100));
  cmd->add_option("--canvas", options->canvas, "Canvas side in pixels (default 416)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--threads", options->threads,
                  "Worker threads (default: one per core); never changes the output")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--quiet", options->quiet, "No progress line");
  cmd->callback([options] { run(*options); });
}

}  // namespace yolo::cli
