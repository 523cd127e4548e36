// yolo-cli train: train a detector headless, with a progress line, metrics.jsonl and
// checkpoints; Ctrl-C or SIGTERM stops cleanly (checkpoint saved), a second Ctrl-C at once.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "app/cli/progress_line.h"
#include "core/data/anchor_fit.h"
#include "core/run/fitted_anchors.h"
#include "core/train/run_adjustment.h"
#include "core/train/trainer.h"
#include "core/util/format_duration.h"

namespace yolo::cli {
namespace fs = std::filesystem;

namespace {

std::atomic<int> gInterrupts{0};

void onInterrupt(int) {
  if (gInterrupts.fetch_add(1) >= 1) {
    static const char kMessage[] = "\nyolo-cli: interrupted again, exiting now\n";
    [[maybe_unused]] auto ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    ::_exit(static_cast<int>(Status::kInterrupted));
  }
}

struct TrainOptions {
  std::string configFile, presetName, dataDir, outDir, resumeDir, adjustDir;
  std::string architecture, device, weights;
  std::string anchors;  ///< "fit", "default" or a list of width,height pairs
  int inputSize = 0, batch = 0, epochs = 0, threads = -1, freezeBackboneEpochs = -1;
  int64_t maxSteps = -1;
  double lrInit = 0;
  double lrEnd = -1;
  std::vector<std::string> settings;  ///< key=value, applied last
};

std::string defaultRunDir(const std::string& preset) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return "runs/" + (preset.empty() ? std::string("run") : preset) + "-" + stamp;
}

run::RunConfig buildConfig(const TrainOptions& o) {
  run::RunConfig config;
  if (!o.configFile.empty()) {
    config = run::loadRunConfig(o.configFile);
  } else {
    config = run::preset(o.presetName.empty() ? "cpu-fast" : o.presetName);
  }
  if (!o.dataDir.empty()) run::useDataset(config, o.dataDir);
  if (!o.architecture.empty()) {
    config.model.architecture = o.architecture;
    config.model.anchors = model::defaultAnchors(o.architecture);
  }
  if (o.inputSize > 0) config.model.inputSize = o.inputSize;
  if (o.batch > 0) config.batchSize = o.batch;
  if (o.epochs > 0) config.epochs = o.epochs;
  if (o.maxSteps >= 0) config.maxSteps = o.maxSteps;
  if (o.lrInit > 0) config.lrInit = o.lrInit;
  if (o.lrEnd >= 0) config.lrEnd = o.lrEnd;
  if (!o.device.empty()) config.device = o.device;
  if (o.threads >= 0) config.threads = o.threads;
  if (!o.weights.empty()) config.pretrainedWeights = o.weights;
  if (o.freezeBackboneEpochs >= 0) config.freezeBackboneEpochs = o.freezeBackboneEpochs;
  for (const std::string& setting : o.settings) {
    try {
      run::applySetting(config, setting);
    } catch (const std::invalid_argument& e) {
      std::cerr << "yolo-cli train: --set: " << e.what() << "\n";
      throw ExitCode{Status::kUsage};
    }
  }
  if (config.warmupEpochs >= config.epochs) config.warmupEpochs = 0;
  if (o.anchors == "default") {
    config.model.anchors = model::defaultAnchors(config.model.architecture);
  } else if (o.anchors == "fit") {
    const run::FittedAnchorsReport fit = run::fitAnchorsToTrainingData(config);
    std::fprintf(stderr, "anchors fitted to %d training boxes: %s (mean best IoU %.3f, was %.3f)\n",
                 fit.boxes, data::formatAnchors(config.model.anchors).c_str(), fit.meanBestIou,
                 fit.previousMeanBestIou);
  } else if (!o.anchors.empty()) {
    try {
      config.model.anchors = data::parseAnchors(
          o.anchors, static_cast<int>(model::strides(config.model.architecture).size()));
    } catch (const std::invalid_argument& e) {
      std::cerr << "yolo-cli train: --anchors: " << e.what() << "\n";
      throw ExitCode{Status::kUsage};
    }
  }
  return config;
}

std::string stepLine(const train::StepMetrics& m) {
  char text[256];
  std::snprintf(
      text, sizeof text,
      "epoch %d/%lld step %lld/%lld %s loss %.3f (giou %.3f conf %.3f prob %.3f) "
      "lr %.2e %.1f img/s wait %2.0f%% ETA %s",
      m.epoch, static_cast<long long>(m.totalEpochs), static_cast<long long>(m.step),
      static_cast<long long>(m.totalSteps),
      progressBar(static_cast<double>(m.step) / std::max<int64_t>(1, m.totalSteps), 20).c_str(),
      m.loss.total, m.loss.giou, m.loss.conf, m.loss.prob, m.lr, m.imagesPerSecond,
      100 * m.dataWait, formatDuration(m.etaSeconds).c_str());
  return text;
}

// `train --adjust RUN_DIR`: a new plan for a run that trains (in this or another program) or
// waits to be resumed.
void adjustPlan(const TrainOptions& o) {
  run::ScheduleChange change;
  if (o.epochs > 0) change.epochs = o.epochs;
  if (o.lrInit > 0) change.lrInit = o.lrInit;
  if (o.lrEnd >= 0) change.lrEnd = o.lrEnd;
  if (change.empty()) {
    std::cerr << "yolo-cli train: --adjust needs --epochs, --lr-init or --lr-end\n";
    throw ExitCode{Status::kUsage};
  }
  const fs::path runDir = o.adjustDir;
  // The run's answer is the first adjust event after this one.
  const auto previousAnswer = train::lastScheduleEvent(runDir);
  const train::RunAdjustment adjustment = train::adjustRun(runDir, change);
  std::cerr << adjustment.message << "\n";
  if (adjustment.kind == train::RunAdjustment::Kind::kApplied) return;
  // The trainer takes the request before its next step; a step or an evaluation can take a
  // while, so the answer is awaited for a bounded time only.
  constexpr auto kAnswerWait = std::chrono::seconds(30);
  const auto answered = [&] {
    const auto answer = train::lastScheduleEvent(runDir);
    return answer && (!previousAnswer || answer->step != previousAnswer->step ||
                      answer->event.message != previousAnswer->event.message)
               ? answer
               : std::nullopt;
  };
  std::optional<train::LoggedEvent> answer;
  if (train::waitForScheduleRequestTaken(runDir, kAnswerWait)) {
    // The event follows the taking at once: the trainer has it in hand.
    for (int tries = 0; tries < 40 && !answer; ++tries) {
      answer = answered();
      if (!answer) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  if (!answer) {
    std::cerr << "the run has not answered yet (busy with a step or an evaluation); it takes the "
                 "change before its next step: see "
              << (runDir / "metrics.jsonl").string() << "\n";
    return;
  }
  if (answer->event.event == "adjust_refused") {
    std::cerr << "yolo-cli: error: the run refused the change: " << answer->event.message << "\n";
    throw ExitCode{Status::kError};
  }
  std::cerr << "the run changed its plan: " << answer->event.message << "\n";
}

void runTraining(const TrainOptions& o) {
  if (!o.adjustDir.empty()) return adjustPlan(o);
  std::unique_ptr<train::Trainer> trainer;
  if (!o.resumeDir.empty()) {
    trainer = train::Trainer::resumeFrom(o.resumeDir);
  } else {
    const run::RunConfig config = buildConfig(o);
    const std::string out = o.outDir.empty() ? defaultRunDir(config.preset) : o.outDir;
    trainer = std::make_unique<train::Trainer>(config, out);
  }
  std::cerr << "run folder: " << trainer->runDir().string() << "\n";

  gInterrupts = 0;
  std::signal(SIGINT, onInterrupt);
  std::signal(SIGTERM, onInterrupt);
  std::atomic<bool> done{false};
  // A checkpoint the disk had no room for pauses the run; with nobody to press Resume, the
  // command tries again every kWriteRetry until space is freed or Ctrl-C stops it.
  constexpr auto kWriteRetry = std::chrono::seconds(10);
  std::atomic<bool> retryWrite{false};
  // A rollback after non-finite steps pauses the run for someone to change its settings.
  // Resuming as it is would replay the same steps (the data order follows the seed), so the
  // command stops and says how to go on.
  std::atomic<bool> rolledBack{false};
  // The handler only counts; this thread turns the first signal into a clean stop.
  std::thread watcher([&] {
    auto retryAt = std::chrono::steady_clock::time_point::max();
    while (!done) {
      if (gInterrupts > 0 || rolledBack) {
        trainer->stop();
        return;
      }
      if (retryWrite.exchange(false)) retryAt = std::chrono::steady_clock::now() + kWriteRetry;
      if (std::chrono::steady_clock::now() >= retryAt) {
        retryAt = std::chrono::steady_clock::time_point::max();
        trainer->resume();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });

  ProgressLine progress;
  train::TrainingObserver observer;
  observer.onStep = [&](const train::StepMetrics& m) { progress.update(stepLine(m)); };
  observer.onEpoch = [&](const train::EpochMetrics& m) {
    char text[200];
    std::snprintf(text, sizeof text, "epoch %d done in %s", m.epoch,
                  formatDuration(m.seconds).c_str());
    std::string line = text;
    if (m.validation) {
      std::snprintf(text, sizeof text, ", val loss %.3f (giou %.3f conf %.3f prob %.3f)",
                    m.validation->total, m.validation->giou, m.validation->conf,
                    m.validation->prob);
      line += text;
    }
    if (m.map50) {
      std::snprintf(text, sizeof text, ", mAP@0.5 %.4f", *m.map50);
      line += text;
    }
    progress.message(line);
  };
  observer.onEvent = [&](const train::TrainingEvent& e) {
    if (e.event == "started" || e.event == "dataset" || e.event == "checkpoint" ||
        e.event == "best")
      return progress.message(e.message);
    if (e.event == "write_failed") {
      retryWrite = true;
      return progress.message(e.event + ": " + e.message + " (trying again every " +
                              std::to_string(kWriteRetry.count()) + " s; Ctrl-C stops)");
    }
    if (e.event == "rolled_back") rolledBack = true;
    progress.message(e.event + ": " + e.message);
  };

  train::TrainingOutcome outcome;
  try {
    outcome = trainer->run(observer);
  } catch (...) {
    done = true;
    watcher.join();
    progress.finish();
    throw;
  }
  done = true;
  watcher.join();
  progress.finish();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  const std::string runDir = trainer->runDir().string();
  if (outcome == train::TrainingOutcome::kStopped && rolledBack) {
    std::cerr << "yolo-cli: error: training diverged (non-finite losses in a row), was rolled "
                 "back to its last checkpoint and stopped; lower lr_init in "
              << (trainer->runDir() / "config.json").string()
              << ", then continue with: yolo-cli train --resume " << runDir << "\n";
    throw ExitCode{Status::kError};
  }
  if (outcome == train::TrainingOutcome::kStopped)
    std::cerr << "stopped; continue with: yolo-cli train --resume " << runDir << "\n";
}

}  // namespace

void addTrainCommand(CLI::App& app) {
  auto options = std::make_shared<TrainOptions>();
  auto* cmd = app.add_subcommand("train", commandSummary("train"));
  cmd->footer(
      "Examples:\n"
      "  yolo-cli train --preset cpu-fast --data datasets/generated/mnist --out runs/fast\n"
      "  yolo-cli train --data ~/labels/data.yaml --set validation_share=0.2\n"
      "  yolo-cli train --resume runs/fast\n"
      "  yolo-cli train --adjust runs/fast --epochs 40 --lr-init 5e-4\n"
      "  yolo-cli train --model yolov3-tiny --weights yolov3-tiny.weights \\\n"
      "      --freeze-backbone-epochs 2 --data datasets/generated/mnist\n"
      "Ctrl-C stops after the current batch and saves last.pt; a second Ctrl-C exits at once.");
  auto* config = cmd->add_option("--config", options->configFile, "Run configuration JSON")
                     ->check(CLI::ExistingFile);
  auto* preset =
      cmd->add_option("--preset", options->presetName, "Preset: cpu-fast (default) or tutorial");
  config->excludes(preset);
  cmd->add_option("--data", options->dataDir,
                  "Dataset, format detected: a make-data folder or annotation file, Darknet "
                  "(obj.data) or Ultralytics (data.yaml) YOLO txt, Pascal VOC, COCO JSON");
  cmd->add_option("--out", options->outDir, "Run folder to create (default runs/<preset>-<time>)");
  cmd->add_option("--model", options->architecture, "yolov3, yolov3-tiny or yolov3-tiny-3l")
      ->check(CLI::IsMember(model::architectureNames()));
  cmd->add_option("--input-size", options->inputSize, "Network input size, a multiple of 32");
  auto* anchors =
      cmd->add_option("--anchors", options->anchors,
                      "fit (k-means on the training boxes, see `yolo-cli anchors`), default, or "
                      "width,height pairs as `yolo-cli anchors` prints them");
  cmd->add_option("--batch", options->batch, "Batch size");
  cmd->add_option("--epochs", options->epochs, "Epochs");
  cmd->add_option("--max-steps", options->maxSteps, "Stop after this many steps (0 = no cap)");
  cmd->add_option("--lr-init", options->lrInit, "Peak learning rate");
  cmd->add_option("--lr-end", options->lrEnd, "Final learning rate of the cosine decay")
      ->check(CLI::NonNegativeNumber);
  auto* set =
      cmd->add_option("--set", options->settings,
                      "Any setting of config.json as KEY=VALUE, dots for nested keys, repeatable "
                      "(e.g. --set checkpoints.everySteps=50 --set augment.randomZoom=true)");
  cmd->add_option("--device", options->device, "auto, cpu or cuda:N");
  cmd->add_option("--threads", options->threads, "Compute threads (0 = all cores)");
  auto* weights =
      cmd->add_option("--weights", options->weights,
                      "Darknet .weights to start from (e.g. COCO yolov3.weights); convs whose "
                      "shape differs (output convs) keep their fresh init")
          ->check(CLI::ExistingFile);
  auto* freeze = cmd->add_option("--freeze-backbone-epochs", options->freezeBackboneEpochs,
                                 "Do not train the backbone for the first N epochs")
                     ->check(CLI::NonNegativeNumber);
  auto* resume = cmd->add_option("--resume", options->resumeDir, "Continue the run in this folder")
                     ->check(CLI::ExistingDirectory);
  resume->excludes(config)->excludes(preset)->excludes(weights)->excludes(freeze)->excludes(set);
  resume->excludes(anchors);
  auto* adjust =
      cmd->add_option("--adjust", options->adjustDir,
                      "Change the plan of this run folder, training or stopped, with --epochs, "
                      "--lr-init, --lr-end: a running run follows it from its next step, a "
                      "stopped one when resumed")
          ->check(CLI::ExistingDirectory);
  adjust->excludes(resume)->excludes(config)->excludes(preset)->excludes(weights);
  adjust->excludes(freeze)->excludes(set)->excludes(anchors);
  cmd->callback([options] { runTraining(*options); });
}

}  // namespace yolo::cli
