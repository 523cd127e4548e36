// Cold start: what a user waits for when running `yolo-cli detect` on one image in a fresh
// process, against OpenCV DNN doing the same with the model's Darknet export, from C++
// (opencv_dnn_detect) and, where the interpreter has OpenCV's bindings (Debian:
// python3-opencv), from Python (opencv_dnn_detect.py), and what `yolo-cli --version` /
// `--help` cost. Each command runs as a
// whole process, the two detectors alternating, so both see the same machine at the same
// moment; prints the medians of wall time, CPU time (user + system) and peak memory (maximum
// resident set), and the ratios. Never fails on time.
//   bench_cold_start [--model RUN_OR_CHECKPOINT]... [--image IMAGE] [--runs 3] [--threads 2]
//                    [--work DIR] [--python /usr/bin/python3]
// Without --model it makes untrained checkpoints of yolov3-tiny-3l and yolov3
// (make_untrained_checkpoint). This program links neither libtorch nor OpenCV: a child's
// peak memory counts the image it was forked from until it executes the command.

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include "bench/options.h"

namespace fs = std::filesystem;

namespace {

struct ProcessCost {
  double wallS = 0, cpuS = 0, peakMiB = 0;
};

// Runs argv[0] with `args` as a process of its own, output to `log`; throws when it fails.
ProcessCost runProcess(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid)
    throw std::runtime_error("cannot run " + args[0]);
  ProcessCost cost;
  cost.wallS = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  cost.cpuS = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  cost.peakMiB = usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::ifstream in(log);
    std::cerr << "bench_cold_start: " << args[0] << " failed; its output:\n" << in.rdbuf();
    throw std::runtime_error("a measured command failed");
  }
  return cost;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Costs {
  std::vector<double> wall, cpu, peak;
  void add(const ProcessCost& c) {
    wall.push_back(c.wallS);
    cpu.push_back(c.cpuS);
    peak.push_back(c.peakMiB);
  }
};

void printRow(const std::string& name, const Costs& c) {
  std::printf("  %-34s %8.2f %8.2f %9.0f\n", name.c_str(), median(c.wall), median(c.cpu),
              median(c.peak));
}

void printRatio(const std::string& name, const Costs& ours, const Costs& reference) {
  std::printf("  %-34s %7.2fx %7.2fx %8.2fx\n", name.c_str(),
              median(ours.wall) / median(reference.wall), median(ours.cpu) / median(reference.cpu),
              median(ours.peak) / median(reference.peak));
}

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "bench_cold_start: " << problem
            << "\nusage: bench_cold_start [--model RUN_OR_CHECKPOINT]... [--image IMAGE] "
               "[--runs 3] [--threads 2] [--work DIR] [--python /usr/bin/python3]\n";
  std::exit(2);
}

fs::path untrainedCheckpoint(const std::string& architecture, const fs::path& work,
                             const fs::path& log) {
  const fs::path path = work / (architecture + ".pt");
  if (!fs::exists(path)) runProcess({YOLO_MAKE_CHECKPOINT_PATH, architecture, path.string()}, log);
  return path;
}

// A 640x480 colour image of noise, as a binary PPM (which OpenCV reads).
fs::path noiseImage(const fs::path& work) {
  const fs::path path = work / "noise.ppm";
  std::ofstream out(path, std::ios::binary);
  out << "P6\n640 480\n255\n";
  unsigned state = 12345;
  for (int i = 0; i < 640 * 480 * 3; ++i) {
    state = state * 1103515245u + 12345u;
    out.put(static_cast<char>(state >> 24));
  }
  return path;
}

}  // namespace

int run(int argc, char** argv) {
  std::vector<std::string> models;
  std::string image, python = "/usr/bin/python3";
  int runs = 3, threads = 2;
  fs::path work = fs::temp_directory_path() / "yolo-bench-cold-start";
  yolo::bench::forEachOption(argc, argv, usage, [&](const std::string& arg, const std::string& v) {
    if (arg == "--model")
      models.push_back(v);
    else if (arg == "--image")
      image = v;
    else if (arg == "--runs")
      runs = yolo::bench::intOption(arg, v, 1, usage);
    else if (arg == "--threads")
      threads = yolo::bench::intOption(arg, v, 1, usage);
    else if (arg == "--work")
      work = v;
    else if (arg == "--python")
      python = v;
    else
      usage("unknown option " + arg);
  });
  fs::create_directories(work);
  const fs::path log = work / "last-command.log";
  if (models.empty())
    for (const char* architecture : {"yolov3-tiny-3l", "yolov3"})
      models.push_back(untrainedCheckpoint(architecture, work, log).string());
  if (image.empty()) image = noiseImage(work).string();
  const std::string cli = YOLO_CLI_PATH, reference = YOLO_OPENCV_DNN_DETECT_PATH;
  const std::string threadArg = std::to_string(threads);
  const std::string pythonReference = YOLO_BENCH_SOURCE_DIR "/opencv_dnn_detect.py";
  bool withPython = true;
  try {
    runProcess({python, "-c", "import cv2"}, log);
  } catch (const std::exception&) {
    withPython = false;
    std::printf("(no Python reference: %s cannot import cv2; Debian: python3-opencv)\n",
                python.c_str());
  }

  std::printf("cold start: whole processes, median of %d runs (alternating), %d threads\n", runs,
              threads);
  std::printf("  %-34s %8s %8s %9s\n", "command", "wall s", "CPU s", "peak MiB");
  for (const std::string& model : models) {
    const fs::path darknet = work / (fs::path(model).filename().string() + "-darknet");
    runProcess({cli, "export", "--model", model, "--format", "darknet", "--out", darknet.string(),
                "--name", "model"},
               log);
    const std::vector<std::string> darknetArgs{
        (darknet / "model.cfg").string(), (darknet / "model.weights").string(), image, threadArg};
    Costs ours, opencv, opencvPython;
    // Each round runs every command once, the first one taking turns.
    std::vector<std::function<void()>> commands{
        [&] {
          ours.add(runProcess(
              {cli, "detect", "--model", model, "--json", image, "--threads", threadArg}, log));
        },
        [&] {
          std::vector<std::string> args{reference};
          args.insert(args.end(), darknetArgs.begin(), darknetArgs.end());
          opencv.add(runProcess(args, log));
        }};
    if (withPython)
      commands.push_back([&] {
        std::vector<std::string> args{python, pythonReference};
        args.insert(args.end(), darknetArgs.begin(), darknetArgs.end());
        opencvPython.add(runProcess(args, log));
      });
    for (int run = 0; run < runs; ++run)
      for (std::size_t i = 0; i < commands.size(); ++i)
        commands[(i + static_cast<std::size_t>(run)) % commands.size()]();
    std::printf("%s\n", model.c_str());
    printRow("yolo-cli detect (one image)", ours);
    printRow("OpenCV DNN from C++", opencv);
    if (withPython) printRow("OpenCV DNN from Python", opencvPython);
    printRatio("ratio to OpenCV DNN from C++", ours, opencv);
    if (withPython) printRatio("ratio to OpenCV DNN from Python", ours, opencvPython);
  }
  for (const char* flag : {"--version", "--help"}) {
    Costs c;
    for (int run = 0; run < runs; ++run) c.add(runProcess({cli, flag}, log));
    printRow(std::string("yolo-cli ") + flag, c);
  }
#ifdef YOLO_WORKBENCH_PATH
  Costs gui;
  for (int run = 0; run < runs; ++run) gui.add(runProcess({YOLO_WORKBENCH_PATH, "--help"}, log));
  printRow("yolo-workbench --help", gui);
#endif
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_cold_start: " << e.what() << "\n";
    return 1;
  }
}
