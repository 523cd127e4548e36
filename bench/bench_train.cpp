// Training throughput: our whole Trainer loop (JPEG decode, augmentation, letterbox, target
// assignment on the loader threads, forward, YOLO loss, backward, finiteness checks, Adam,
// metrics.jsonl) against the same architecture's bare training step in PyTorch Python
// (bench/train_step_reference.py on Debian's python3-torch, the same libtorch), measured in
// the same run. Prints images/s and the ratio; never fails on time.
//   bench_train [--steps 20] [--yolov3-steps 4] [--warmup 2] [--threads 2] [--workers 2]
//               [--rounds 1] [--models yolov3-tiny,yolov3] [--python /usr/bin/python3]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "bench/options.h"
#include "core/data/digit_source.h"
#include "core/data/generator.h"
#include "core/run/run_config.h"
#include "core/train/trainer.h"
#include "core/util/process_environment.h"

#ifndef YOLO_BENCH_SOURCE_DIR
#define YOLO_BENCH_SOURCE_DIR "."
#endif

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  int steps = 20;       // timed steps of yolov3-tiny
  int yolov3Steps = 4;  // timed steps of yolov3 (seconds each)
  int warmup = 2;       // untimed steps first, both sides
  int threads = 2;      // torch threads, both sides
  int workers = 2;      // our loader threads (RunConfig::dataWorkers)
  int rounds = 1;       // (ours, Python) pairs per case; the best of each side counts
  std::vector<std::string> models{"yolov3-tiny", "yolov3"};
  std::string python = "/usr/bin/python3";
};

struct Case {
  std::string model;
  int size = 0;
  int batch = 0;
};

struct OursResult {
  double imagesPerSecond = 0;  // wall time between the onStep calls bounding the timed steps
  double dataWait = 0;         // fraction of that time spent waiting for the loader
  double cpuPerImage = 0;      // CPU seconds of all our threads (loader included) per image
};

struct ReferenceResult {
  double imagesPerSecond = 0;
  double cpuPerImage = 0;
};

// CPU time of all threads of this process: on a busy machine wall time depends on what else
// runs, CPU time much less, so the table shows both.
double processCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "bench_train: " << problem
            << "\nusage: bench_train [--steps N] [--yolov3-steps N] [--warmup N] [--threads N]"
               " [--workers N] [--rounds N] [--models yolov3-tiny,yolov3] [--python PATH]\n";
  std::exit(2);
}

Options parseOptions(int argc, char** argv) {
  Options o;
  yolo::bench::forEachOption(
      argc, argv, usage, [&](const std::string& arg, const std::string& value) {
        auto number = [&](int min) { return yolo::bench::intOption(arg, value, min, usage); };
        if (arg == "--steps") {
          o.steps = number(1);
        } else if (arg == "--yolov3-steps") {
          o.yolov3Steps = number(1);
        } else if (arg == "--warmup") {
          o.warmup = number(1);  // the timing window opens at the last warm-up step
        } else if (arg == "--threads") {
          o.threads = number(1);
        } else if (arg == "--workers") {
          o.workers = number(1);
        } else if (arg == "--rounds") {
          o.rounds = number(1);
        } else if (arg == "--python") {
          o.python = value;
        } else if (arg == "--models") {
          o.models.clear();
          std::stringstream list(value);
          for (std::string m; std::getline(list, m, ',');) {
            if (m != "yolov3" && m != "yolov3-tiny") usage("unknown model '" + m + "'");
            o.models.push_back(m);
          }
        } else {
          usage("unknown option " + arg);
        }
      });
  return o;
}

int timedSteps(const Options& o, const Case& c) {
  return c.model == "yolov3" ? o.yolov3Steps : o.steps;
}

// A dataset just large enough that the timed steps stay inside the first epoch: real runs
// cross an epoch boundary every ~125 steps, and its validation and best.pt are not steps.
fs::path makeDataset(const fs::path& dir, int trainImages) {
  const auto digits = yolo::data::findDefaultDigits();
  if (!digits) {
    throw std::runtime_error(
        "no MNIST digits found: fetch them (./quickstart) or set YOLO_DIGITS_DIR");
  }
  yolo::data::GeneratorConfig config;
  config.trainImages = trainImages;
  config.testImages = 0;
  config.seed = 1;
  yolo::data::generateDataset(config, yolo::data::loadDigitsFolder(*digits), dir);
  return dir;
}

OursResult runOurs(const Options& o, const Case& c, const fs::path& data, const fs::path& runDir) {
  using namespace yolo::train;
  using namespace yolo::run;
  RunConfig config = preset(c.model == "yolov3" ? "tutorial" : "cpu-fast");
  config.model.inputSize = c.size;
  config.batchSize = c.batch;
  config.classesFile = (data / "mnist.names").string();
  config.trainAnnotations = (data / "train.txt").string();
  config.testAnnotations.clear();
  config.evalEveryEpochs = 0;
  config.checkpoints.everyEpochs = 0;
  config.checkpoints.everySteps = 0;
  config.threads = o.threads;
  config.dataWorkers = o.workers;
  config.device = "cpu";
  const int steps = timedSteps(o, c);
  config.maxSteps = o.warmup + steps;
  config.epochs = 1000;

  fs::remove_all(runDir);
  Trainer trainer(config, runDir);
  Clock::time_point windowStart = Clock::now();
  double cpuStart = 0, cpuEnd = 0;
  double waitSeconds = 0;
  Clock::time_point windowEnd = windowStart;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) {
    const auto now = Clock::now();
    if (m.step == o.warmup) {
      windowStart = now;
      cpuStart = processCpuSeconds();
    }
    if (m.step > o.warmup) {
      // imagesPerSecond and dataWait describe the step from loader.next() to the optimizer.
      waitSeconds += m.dataWait * c.batch / std::max(1e-9, m.imagesPerSecond);
      windowEnd = now;
      cpuEnd = processCpuSeconds();
    }
  };
  trainer.run(observer);
  const double wall = std::chrono::duration<double>(windowEnd - windowStart).count();
  const double images = static_cast<double>(c.batch) * steps;
  return {images / wall, waitSeconds / wall, (cpuEnd - cpuStart) / images};
}

fs::path referenceScript() {
  if (const char* dir = std::getenv("YOLO_SOURCE_DIR"); dir && *dir) {
    return fs::path(dir) / "bench" / "train_step_reference.py";
  }
  return fs::path(YOLO_BENCH_SOURCE_DIR) / "train_step_reference.py";
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// stdout of `command`, or nothing when it could not run or exited non-zero.
std::optional<std::string> capture(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return std::nullopt;
  std::string out;
  char buffer[4096];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe.get())) {
    out.append(buffer, n);
  }
  if (pclose(pipe.release()) != 0) return std::nullopt;
  return out;
}

// Why the reference cannot run, or empty when it can.
std::string referenceProblem(const Options& o) {
  if (!fs::is_regular_file(referenceScript())) {
    return referenceScript().string() + " not found (set YOLO_SOURCE_DIR to the source tree)";
  }
  if (!capture(quoted(o.python) + " -c 'import torch' 2>/dev/null")) {
    return o.python + " cannot import torch: apt-get install python3-torch";
  }
  return {};
}

std::optional<ReferenceResult> runReference(const Options& o, const Case& c) {
  const std::string command =
      quoted(o.python) + " " + quoted(referenceScript().string()) + " --model " + c.model +
      " --size " + std::to_string(c.size) + " --batch " + std::to_string(c.batch) + " --threads " +
      std::to_string(o.threads) + " --steps " + std::to_string(timedSteps(o, c)) + " --warmup " +
      std::to_string(o.warmup) + " --init " + (c.model == "yolov3" ? "tutorial" : "kaiming");
  const auto out = capture(command);
  if (!out) return std::nullopt;
  try {
    const auto j = nlohmann::json::parse(*out);
    return ReferenceResult{j.at("images_per_second").get<double>(),
                           j.at("cpu_seconds_per_image").get<double>()};
  } catch (const std::exception& e) {
    std::cerr << "bench_train: unreadable reference output: " << e.what() << "\n";
    return std::nullopt;
  }
}

std::string loadAverage() {
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) != 3) return "?";
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %.2f %.2f", load[0], load[1], load[2]);
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  // As yolo-cli and yolo-workbench run; the Python child inherits it, so both sides match.
  yolo::ensurePassiveOpenMpWaiting(argv);
  const Options o = parseOptions(argc, argv);
  std::vector<Case> cases;
  for (const auto& m : o.models) {
    if (m == "yolov3-tiny") {
      cases.push_back({m, 320, 8});
      cases.push_back({m, 416, 4});
    } else {
      cases.push_back({m, 416, 2});
    }
  }
  int images = 0;
  for (const auto& c : cases) images = std::max(images, c.batch * (o.warmup + timedSteps(o, c)));

  const fs::path root =
      fs::temp_directory_path() / ("yolo-bench-train-" + std::to_string(getpid()));
  const std::string problem = referenceProblem(o);
  try {
    const fs::path data = makeDataset(root / "data", images);
    std::printf(
        "training throughput, %d torch threads, %d loader threads, %d warm-up steps, "
        "%d train images, best of %d round(s), OMP_WAIT_POLICY=%s (both sides)\n",
        o.threads, o.workers, o.warmup, images, o.rounds, std::getenv("OMP_WAIT_POLICY"));
    std::printf("  ours: the whole Trainer loop; PyTorch: %s on random input (step only)\n",
                referenceScript().filename().c_str());
    if (!problem.empty()) std::printf("  no PyTorch reference: %s\n", problem.c_str());
    std::printf("\n  %-12s %4s %5s  %10s  %11s  %6s  %9s  %9s  %s\n", "model", "size", "batch",
                "ours img/s", "torch img/s", "ratio", "CPU ratio", "data wait", "load average");
    for (const auto& c : cases) {
      OursResult best;
      std::optional<ReferenceResult> reference;
      for (int round = 0; round < o.rounds; ++round) {
        const OursResult ours = runOurs(o, c, data, root / "run");
        if (ours.imagesPerSecond > best.imagesPerSecond) best = ours;
        if (problem.empty()) {
          if (const auto r = runReference(o, c);
              r && (!reference || r->imagesPerSecond > reference->imagesPerSecond)) {
            reference = r;
          }
        }
      }
      char torchText[32] = "-", ratio[16] = "-", cpuRatio[16] = "-";
      if (reference) {
        std::snprintf(torchText, sizeof torchText, "%.2f", reference->imagesPerSecond);
        std::snprintf(ratio, sizeof ratio, "%.2fx",
                      best.imagesPerSecond / reference->imagesPerSecond);
        std::snprintf(cpuRatio, sizeof cpuRatio, "%.2fx",
                      reference->cpuPerImage / best.cpuPerImage);
      }
      std::printf("  %-12s %4d %5d  %10.2f  %11s  %6s  %9s  %8.1f%%  %s\n", c.model.c_str(), c.size,
                  c.batch, best.imagesPerSecond, torchText, ratio, cpuRatio, 100 * best.dataWait,
                  loadAverage().c_str());
      std::fflush(stdout);
    }
    std::printf(
        "\n  ratio: our images/s over PyTorch's (wall time; target >= 1.15x). CPU ratio: PyTorch's "
        "CPU"
        "\n  seconds per image over ours (all threads, our loader included), steadier than wall"
        "\n  time on a busy machine. data wait: share of our loop spent waiting for the loader.\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_train: %s\n", e.what());
    fs::remove_all(root);
    return 1;
  }
  fs::remove_all(root);
  return 0;
}
