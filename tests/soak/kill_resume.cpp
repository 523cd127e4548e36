// Crash soak: trains with `yolo-cli train`, kills it with SIGKILL at random moments (every
// third time while last.pt is being written), resumes it with `train --resume` each time,
// and checks what survived against an uninterrupted run with the same seed:
//   - the run finishes at the planned step;
//   - metrics.jsonl parses line by line, each step and each epoch recorded once, in order;
//   - no temporary file of an interrupted write is left in the run folder;
//   - with 1 compute thread, every step's losses and the final weights (the averaged ones
//     detection uses, the live ones training continues from, best.pt) are bitwise equal.
// Prints one summary line per check; exit status 0 when all hold.
//
// usage: soak_kill_resume --cli PATH --work DIR [--kills N] [--seed S]
// (tests/soak/kill_resume.sh runs it by hand; CTest runs it with 3 kills.)

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  fs::path cli;
  fs::path work;
  int kills = 3;
  unsigned seed = 0;
};

// Starts `cli args...` with its output appended to `log`; returns its pid.
pid_t start(const Options& options, const std::vector<std::string>& args, const fs::path& log,
            bool pauseWrites) {
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (out >= 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
    }
    // A window of 300 ms between a checkpoint's last byte and its rename, to kill in.
    if (pauseWrites) ::setenv("YOLO_TEST_ATOMIC_WRITE_PAUSE_MS", "300", 1);
    std::vector<char*> argv{const_cast<char*>(options.cli.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(options.cli.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

// Exit status of a finished child: the code, or 128 + signal.
int statusOf(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Waits for `pid` up to `timeout`; returns its status, or -1 when it still runs.
int waitFor(pid_t pid, std::chrono::milliseconds timeout) {
  const auto end = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) return statusOf(status);
    if (Clock::now() >= end) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

bool writingLastPt(const fs::path& run) {
  std::error_code error;
  for (fs::directory_iterator it(run, error), end; !error && it != end; it.increment(error))
    if (it->path().filename().string().rfind(".last.pt.tmp", 0) == 0) return true;
  return false;
}

std::vector<std::string> temporaryFiles(const fs::path& run) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(run)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp") != std::string::npos) names.push_back(name);
  }
  return names;
}

struct MetricsCheck {
  std::vector<nlohmann::json> steps;
  int lines = 0, torn = 0, duplicateSteps = 0, outOfOrderSteps = 0, duplicateEpochs = 0;
  int cleanedUp = 0;
  bool finished = false;
};

MetricsCheck readMetrics(const fs::path& file) {
  MetricsCheck check;
  std::ifstream in(file);
  std::string line;
  std::map<int64_t, int> epochs;
  int64_t lastStep = 0;
  while (std::getline(in, line)) {
    ++check.lines;
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object()) {
      ++check.torn;
      continue;
    }
    const std::string type = record.value("type", "");
    if (type == "step") {
      const int64_t step = record.value("step", int64_t{-1});
      if (step == lastStep)
        ++check.duplicateSteps;
      else if (step != lastStep + 1)
        ++check.outOfOrderSteps;
      lastStep = step;
      check.steps.push_back(record);
    } else if (type == "epoch") {
      if (++epochs[record.value("epoch", int64_t{-1})] > 1) ++check.duplicateEpochs;
    } else if (type == "event") {
      const std::string event = record.value("event", "");
      check.finished |= event == "finished";
      check.cleanedUp += event == "cleaned_up";
    }
  }
  return check;
}

// Every loss figure of each step record: equal as JSON numbers means bitwise equal floats.
int stepsWithOtherLosses(const MetricsCheck& a, const MetricsCheck& b) {
  int differing = 0;
  for (std::size_t i = 0; i < std::min(a.steps.size(), b.steps.size()); ++i) {
    for (const auto& [key, value] : a.steps[i].items()) {
      if (key.find("loss") == std::string::npos) continue;
      if (b.steps[i].value(key, nlohmann::json()) != value) {
        ++differing;
        break;
      }
    }
  }
  return differing + static_cast<int>(std::max(a.steps.size(), b.steps.size()) -
                                      std::min(a.steps.size(), b.steps.size()));
}

// The tensors of a checkpoint: "model" (averaged), "live_model", as loaded for resuming.
std::vector<torch::Tensor> weightsOf(const fs::path& checkpoint) {
  const auto header = yolo::run::readCheckpointHeader(checkpoint);
  auto live = yolo::model::createModel(header.config.model);
  auto averaged = yolo::model::createModel(header.config.model);
  yolo::run::loadCheckpoint(checkpoint, *live, nullptr, averaged.get());
  std::vector<torch::Tensor> all;
  for (const auto& t : live->parameters()) all.push_back(t);
  for (const auto& t : live->buffers()) all.push_back(t);
  for (const auto& t : averaged->parameters()) all.push_back(t);
  for (const auto& t : averaged->buffers()) all.push_back(t);
  return all;
}

int differingTensors(const fs::path& a, const fs::path& b) {
  const auto x = weightsOf(a), y = weightsOf(b);
  if (x.size() != y.size()) return static_cast<int>(std::max(x.size(), y.size()));
  int differing = 0;
  for (std::size_t i = 0; i < x.size(); ++i) differing += !torch::equal(x[i], y[i]);
  return differing;
}

Options parse(int argc, char** argv) {
  Options options;
  options.seed = static_cast<unsigned>(std::random_device{}());
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--cli")
      options.cli = value;
    else if (key == "--work")
      options.work = value;
    else if (key == "--kills")
      options.kills = std::stoi(value);
    else if (key == "--seed")
      options.seed = static_cast<unsigned>(std::stoul(value));
    else
      throw std::runtime_error("unknown option " + key);
  }
  if (options.cli.empty() || options.work.empty())
    throw std::runtime_error(
        "usage: soak_kill_resume --cli PATH --work DIR [--kills N] [--seed S]");
  return options;
}

}  // namespace

int main(int argc, char** argv) try {
  const Options options = parse(argc, argv);
  std::cout << "soak: " << options.kills << " kills, seed " << options.seed << " (--seed "
            << options.seed << " repeats the moments)\n";
  fs::remove_all(options.work);
  fs::create_directories(options.work);
  const fs::path log = options.work / "yolo-cli.log";
  const fs::path data = options.work / "data", reference = options.work / "reference",
                 run = options.work / "run";

  auto runToEnd = [&](const std::vector<std::string>& args, bool pauseWrites) {
    const int status = waitFor(start(options, args, log, pauseWrites), std::chrono::minutes(30));
    if (status != 0)
      throw std::runtime_error("yolo-cli " + args.front() + " exited with status " +
                               std::to_string(status) + "; see " + log.string());
  };
  runToEnd({"make-data", "--out", data.string(), "--train", "24", "--test", "8", "--canvas", "160",
            "--quiet"},
           false);
  // cpu-fast settings, small: 6 steps an epoch, a checkpoint every 3 steps, mAP every 2
  // epochs; enough epochs that the kills come before the end.
  const int epochs = std::max(6, options.kills + 3);
  auto train = [&](const fs::path& out) {
    return std::vector<std::string>{
        "train",     "--data",   data.string(),          "--out", out.string(),
        "--threads", "1",        "--input-size",         "160",   "--batch",
        "4",         "--epochs", std::to_string(epochs), "--set", "checkpoints.everySteps=3"};
  };

  const auto referenceStart = Clock::now();
  runToEnd(train(reference), false);
  const double referenceSeconds =
      std::chrono::duration<double>(Clock::now() - referenceStart).count();

  std::mt19937 random(options.seed);
  std::uniform_real_distribution<double> moment(0.0, std::min(3.0, referenceSeconds / 2));
  int randomKills = 0, midWriteKills = 0, resumes = 0, finishedEarly = 0;
  pid_t pid = start(options, train(run), log, true);
  for (int kill = 0; kill < options.kills; ++kill) {
    // The first run is killed once it has a checkpoint to resume from.
    while (!fs::exists(run / "last.pt") && waitFor(pid, std::chrono::milliseconds(0)) < 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    int status = -1;
    if (kill % 3 == 2) {
      while (!writingLastPt(run) && (status = waitFor(pid, std::chrono::milliseconds(0))) < 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      if (status < 0) ++midWriteKills;
    } else {
      status = waitFor(pid, std::chrono::milliseconds(static_cast<int64_t>(1000 * moment(random))));
      if (status < 0) ++randomKills;
    }
    if (status < 0) {
      ::kill(pid, SIGKILL);
      status = waitFor(pid, std::chrono::minutes(1));
    }
    if (status == 0) {  // it finished before the kill
      ++finishedEarly;
      pid = -1;
      break;
    }
    if (status != 128 + SIGKILL)
      throw std::runtime_error("yolo-cli train exited with status " + std::to_string(status) +
                               " before it was killed; see " + log.string());
    pid = start(options, {"train", "--resume", run.string()}, log, true);
    ++resumes;
  }
  if (pid > 0) {
    const int status = waitFor(pid, std::chrono::minutes(30));
    if (status != 0)
      throw std::runtime_error("the last `train --resume` exited with status " +
                               std::to_string(status) + "; see " + log.string());
  }

  const MetricsCheck want = readMetrics(reference / "metrics.jsonl");
  const MetricsCheck got = readMetrics(run / "metrics.jsonl");
  const auto left = temporaryFiles(run);
  const int lossDiffs = stepsWithOtherLosses(want, got);
  const int lastDiffs = differingTensors(reference / "last.pt", run / "last.pt");
  const int bestDiffs = differingTensors(reference / "best.pt", run / "best.pt");

  bool ok = true;
  auto report = [&](bool pass, const std::string& line) {
    std::cout << (pass ? "  ok    " : "  FAIL  ") << line << "\n";
    ok &= pass;
  };
  std::cout << "reference run: " << want.steps.size() << " steps in " << referenceSeconds
            << " s\nkills: " << randomKills + midWriteKills << " (" << randomKills
            << " at random moments, " << midWriteKills << " while last.pt was written), " << resumes
            << " resumes" << (finishedEarly ? ", the run finished before a kill" : "") << "\n";
  report(randomKills + midWriteKills == options.kills,
         "killed " + std::to_string(randomKills + midWriteKills) + " of " +
             std::to_string(options.kills) + " times");
  report(got.finished && got.steps.size() == want.steps.size() && !got.steps.empty() &&
             got.steps.back().value("step", 0) == want.steps.back().value("step", 0),
         "finished at step " +
             (got.steps.empty() ? std::string("none") : got.steps.back()["step"].dump()) + " of " +
             std::to_string(want.steps.size()));
  report(got.torn == 0 && got.duplicateSteps == 0 && got.outOfOrderSteps == 0 &&
             got.duplicateEpochs == 0,
         "metrics.jsonl: " + std::to_string(got.lines) + " lines, " + std::to_string(got.torn) +
             " torn, " + std::to_string(got.duplicateSteps) + " duplicate and " +
             std::to_string(got.outOfOrderSteps) + " missing or out-of-order steps, " +
             std::to_string(got.duplicateEpochs) + " duplicate epochs");
  report(left.empty(), "temporary files left: " + std::to_string(left.size()) +
                           (left.empty() ? "" : " (" + left.front() + ", ...)") + "; " +
                           std::to_string(got.cleanedUp) +
                           " cleaned up by a resume (cleaned_up events)");
  report(got.cleanedUp >= midWriteKills,
         "each kill mid-write left a temporary file that the resume removed");
  report(lossDiffs == 0,
         "steps whose losses differ from the uninterrupted run: " + std::to_string(lossDiffs));
  report(lastDiffs == 0 && bestDiffs == 0,
         "tensors that differ from the uninterrupted run: last.pt " + std::to_string(lastDiffs) +
             ", best.pt " + std::to_string(bestDiffs) + " (bitwise)");
  std::cout << (ok ? "soak passed" : "soak FAILED") << "\n";
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::cerr << "soak: " << e.what() << "\n";
  return 2;
}
