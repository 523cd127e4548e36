// The trainer end to end on a tiny synthetic set: run folder contents, stop + exact resume,
// pause/resume from another thread, NaN skip and rollback, checkpoint round trip.

#include <atomic>
#include <chrono>
#include <fstream>
#include <limits>
#include <thread>

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/eval/saved_evaluation.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/run/schedule_change.h"
#include "core/train/lr_schedule.h"
#include "core/train/metrics_records.h"
#include "core/train/run_adjustment.h"
#include "core/train/trainer.h"
#include "core/train/training_step.h"
#include "tests/core/support.h"

namespace fs = std::filesystem;
using namespace yolo::train;
using namespace yolo::run;

namespace {

// Eight 64x64 images, each with a dark square (class 0) and a dark bar (class 1).
RunConfig tinyRun(const fs::path& dir) {
  fs::create_directories(dir / "img");
  std::ofstream train(dir / "train.txt"), test(dir / "test.txt");
  for (int i = 0; i < 8; ++i) {
    cv::Mat image(64, 64, CV_8UC3, cv::Scalar::all(255));
    const int x = 4 + 3 * i, y = 6 + 2 * i;
    cv::rectangle(image, cv::Rect(x, y, 20, 20), cv::Scalar::all(0), cv::FILLED);
    cv::rectangle(image, cv::Rect(44, 4 + 4 * i, 8, 24), cv::Scalar::all(30), cv::FILLED);
    const std::string name = "img/" + std::to_string(i) + ".png";
    cv::imwrite((dir / name).string(), image);
    std::ofstream& out = i < 6 ? train : test;
    out << name << " " << x << "," << y << "," << x + 20 << "," << y + 20 << ",0 44," << 4 + 4 * i
        << ",52," << 28 + 4 * i << ",1\n";
  }
  std::ofstream(dir / "names.txt") << "square\nbar\n";
  RunConfig c = preset("cpu-fast");
  c.trainAnnotations = (dir / "train.txt").string();
  c.testAnnotations = (dir / "test.txt").string();
  c.classesFile = (dir / "names.txt").string();
  c.model.numClasses = 2;
  c.model.inputSize = 64;
  c.batchSize = 2;
  c.epochs = 3;
  c.warmupEpochs = 1;
  c.dataWorkers = 1;
  c.threads = 2;
  c.evalEveryEpochs = 0;
  return c;
}

int countLines(const fs::path& file, const std::string& needle) {
  std::ifstream in(file);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) n += line.find(needle) != std::string::npos;
  return n;
}

class TrainerTest : public yolo::test::SeededTest {};

}  // namespace

TEST_F(TrainerTest, RunWritesConfigMetricsAndCheckpoints) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.evalEveryEpochs = 2;  // epoch 2, and always after the last one
  Trainer trainer(config, dir.path() / "run");
  std::vector<StepMetrics> steps;
  std::vector<EpochMetrics> epochs;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) { steps.push_back(m); };
  observer.onEpoch = [&](const EpochMetrics& m) { epochs.push_back(m); };
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kFinished);

  ASSERT_EQ(steps.size(), 9u);  // 3 epochs x ceil(6 / 2)
  EXPECT_EQ(steps.front().step, 1);
  EXPECT_EQ(steps.back().step, 9);
  EXPECT_EQ(steps.back().totalSteps, 9);
  EXPECT_GT(steps.front().lr, 0);
  EXPECT_GE(steps.front().dataWait, 0);
  EXPECT_LE(steps.front().dataWait, 1);
  EXPECT_EQ(steps.front().loss.giouPerScale.size(),
            yolo::model::strides(config.model.architecture).size());
  ASSERT_EQ(epochs.size(), 3u);
  ASSERT_TRUE(epochs[0].validation.has_value());
  EXPECT_TRUE(std::isfinite(epochs[0].validation->total));
  EXPECT_FALSE(epochs[0].map50.has_value());
  ASSERT_TRUE(epochs[1].map50.has_value());
  ASSERT_TRUE(epochs[2].map50.has_value());
  EXPECT_GE(*epochs[2].map50, 0.0);
  EXPECT_LE(*epochs[2].map50, 1.0);

  const fs::path run = dir.path() / "run";
  EXPECT_TRUE(fs::exists(run / "config.json"));
  EXPECT_TRUE(fs::exists(run / "last.pt"));
  EXPECT_TRUE(fs::exists(run / "best.pt"));
  EXPECT_EQ(countLines(run / "metrics.jsonl", "\"type\":\"step\""), 9);
  EXPECT_EQ(countLines(run / "metrics.jsonl", "\"type\":\"epoch\""), 3);
  EXPECT_EQ(countLines(run / "metrics.jsonl", "\"val_total_loss\""), 3);
  EXPECT_EQ(countLines(run / "metrics.jsonl", "\"map50\""), 2);
  EXPECT_EQ(countLines(run / "metrics.jsonl", "\"event\":\"finished\""), 1);
}

TEST_F(TrainerTest, ValidationLossIsTheSameWhetherOrNotItSharesTheMapForwardPass) {
  // With mAP due, the validation loss comes from the evaluation's forward pass; without,
  // from its own pass over the test set. Same weights, same images: the same figures.
  yolo::test::ScratchDir dir;
  auto firstEpoch = [&](int evalEveryEpochs, const std::string& name) {
    RunConfig config = tinyRun(dir.path());
    config.evalEveryEpochs = evalEveryEpochs;
    torch::manual_seed(3);
    Trainer trainer(config, dir.path() / name);
    std::vector<EpochMetrics> epochs;
    TrainingObserver observer;
    observer.onEpoch = [&](const EpochMetrics& m) {
      epochs.push_back(m);
      trainer.stop();
    };
    trainer.run(observer);
    EXPECT_EQ(epochs.size(), 1u);
    return epochs.front();
  };
  const EpochMetrics shared = firstEpoch(1, "shared");
  const EpochMetrics own = firstEpoch(0, "own");
  ASSERT_TRUE(shared.map50.has_value());
  ASSERT_FALSE(own.map50.has_value());
  ASSERT_TRUE(shared.validation && own.validation);
  EXPECT_NEAR(shared.validation->total, own.validation->total,
              1e-4 * std::abs(own.validation->total));
  EXPECT_NEAR(shared.validation->conf, own.validation->conf, 1e-4 * std::abs(own.validation->conf));
  ASSERT_EQ(shared.validation->giouPerScale.size(),
            yolo::model::strides(preset("cpu-fast").model.architecture).size());
}

TEST_F(TrainerTest, StopThenResumeContinuesAtTheSameStepLrAndData) {
  yolo::test::ScratchDir dir;
  const RunConfig config = tinyRun(dir.path());

  // Reference: an uninterrupted run.
  std::vector<StepMetrics> reference;
  {
    torch::manual_seed(7);
    Trainer trainer(config, dir.path() / "reference");
    TrainingObserver observer;
    observer.onStep = [&](const StepMetrics& m) { reference.push_back(m); };
    trainer.run(observer);
  }

  // The same run stopped after step 4 (mid-epoch) and resumed.
  {
    torch::manual_seed(7);
    Trainer trainer(config, dir.path() / "run");
    TrainingObserver observer;
    observer.onStep = [&](const StepMetrics& m) {
      if (m.step == 4) trainer.stop();
    };
    EXPECT_EQ(trainer.run(observer), TrainingOutcome::kStopped);
  }
  std::vector<StepMetrics> resumed;
  auto trainer = Trainer::resumeFrom(dir.path() / "run");
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) { resumed.push_back(m); };
  EXPECT_EQ(trainer->run(observer), TrainingOutcome::kFinished);

  ASSERT_EQ(resumed.size(), 5u);
  EXPECT_EQ(resumed.front().step, 5);
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    const StepMetrics& want = reference[4 + i];
    EXPECT_DOUBLE_EQ(resumed[i].lr, want.lr) << "step " << want.step;
    EXPECT_NEAR(resumed[i].loss.total, want.loss.total, 1e-3 * std::abs(want.loss.total))
        << "step " << want.step;
  }
  // metrics.jsonl holds each step once.
  EXPECT_EQ(countLines(dir.path() / "run" / "metrics.jsonl", "\"type\":\"step\""), 9);
}

TEST_F(TrainerTest, ResumeAfterAKillMidCheckpointRemovesAndReportsTheHalfWrittenFile) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.epochs = 2;
  const fs::path run = dir.path() / "run";
  {
    Trainer trainer(config, run);
    TrainingObserver observer;
    observer.onStep = [&](const StepMetrics& m) {
      if (m.step == 1) trainer.stop();
    };
    ASSERT_EQ(trainer.run(observer), TrainingOutcome::kStopped);
  }
  // A process killed while it wrote last.pt (as `kill -9` during a checkpoint does).
  yolo::test::HangingWriter(run / "last.pt").kill();
  auto temporaries = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(run))
      n += e.path().filename().string().rfind(".last.pt.tmp", 0) == 0;
    return n;
  };
  ASSERT_EQ(temporaries(), 1);

  auto trainer = Trainer::resumeFrom(run);
  EXPECT_EQ(temporaries(), 0) << "removed before the run goes on";
  std::vector<TrainingEvent> cleaned;
  TrainingObserver observer;
  observer.onEvent = [&](const TrainingEvent& e) {
    if (e.event == "cleaned_up") cleaned.push_back(e);
  };
  EXPECT_EQ(trainer->run(observer), TrainingOutcome::kFinished);
  ASSERT_EQ(cleaned.size(), 1u) << "reported once";
  EXPECT_NE(cleaned[0].message.find("removed 1 temporary file"), std::string::npos)
      << cleaned[0].message;
  EXPECT_NE(cleaned[0].message.find(".last.pt.tmp"), std::string::npos) << cleaned[0].message;
  EXPECT_EQ(countLines(run / "metrics.jsonl", "\"event\":\"cleaned_up\""), 1);
}

TEST_F(TrainerTest, ASecondTrainerOnARunThatIsTrainingIsRefusedNamingTheFirst) {
  yolo::test::ScratchDir dir;
  const RunConfig config = tinyRun(dir.path());
  const fs::path run = dir.path() / "run";
  {
    Trainer trainer(config, run);
    TrainingObserver observer;
    observer.onStep = [&](const StepMetrics&) { trainer.stop(); };
    ASSERT_EQ(trainer.run(observer), TrainingOutcome::kStopped);

    const auto metricsBefore = fs::file_size(run / "metrics.jsonl");
    try {
      Trainer::resumeFrom(run);
      FAIL() << "a second trainer on the same run folder";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("in use by process " + std::to_string(::getpid())),
                std::string::npos)
          << e.what();
    }
    EXPECT_EQ(fs::file_size(run / "metrics.jsonl"), metricsBefore) << "the refused one wrote";
  }
  EXPECT_NO_THROW(Trainer::resumeFrom(run)) << "free once the first is gone";
}

TEST_F(TrainerTest, AnUnreadableTrainingImageIsNamedOnceAndTheRunGoesOn) {
  yolo::test::ScratchDir dir;
  const RunConfig config = tinyRun(dir.path());  // 3 epochs over img/0..5
  std::ofstream(dir.path() / "img" / "2.png", std::ios::binary) << "not a picture";
  Trainer trainer(config, dir.path() / "run");
  std::vector<std::string> warnings, finished;
  int steps = 0;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics&) { ++steps; };
  observer.onEvent = [&](const TrainingEvent& e) {
    if (e.event == "data_warning") warnings.push_back(e.message);
    if (e.event == "finished") finished.push_back(e.message);
  };
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kFinished);
  EXPECT_EQ(steps, 9) << "the batch without it still trains";
  ASSERT_EQ(warnings.size(), 1u) << "once, not once an epoch";
  EXPECT_NE(warnings[0].find("img/2.png"), std::string::npos) << warnings[0];
  ASSERT_EQ(finished.size(), 1u);
  EXPECT_NE(finished[0].find("1 unreadable training image left out"), std::string::npos)
      << finished[0];
}

TEST_F(TrainerTest, ARunWhoseTrainingImagesAreAllUnreadableFailsSayingSo) {
  yolo::test::ScratchDir dir;
  const RunConfig config = tinyRun(dir.path());
  for (int i = 0; i < 6; ++i)
    std::ofstream(dir.path() / "img" / (std::to_string(i) + ".png"), std::ios::binary) << "";
  Trainer trainer(config, dir.path() / "run");
  try {
    trainer.run({});
    FAIL() << "no image to train on";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("none of the 6 training images can be read"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(TrainerTest, ACheckpointThatCannotBeWrittenPausesTheRunUntilThereIsSpace) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.checkpoints.everySteps = 2;
  const fs::path run = dir.path() / "run";
  Trainer trainer(config, run);

  // A file size limit stands in for a full disk: a write past it fails (EFBIG) as one on a
  // full disk does (ENOSPC), and SIGXFSZ, which would end the process, is ignored.
  struct sigaction ignore {
  }, previous{};
  ignore.sa_handler = SIG_IGN;
  ASSERT_EQ(::sigaction(SIGXFSZ, &ignore, &previous), 0);
  rlimit unlimited{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &unlimited), 0);
  std::vector<std::string> failures;
  int64_t stepBeforeFull = -1, stepOnDisk = -1;
  bool pausedWhileFull = false;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) {
    if (m.step != 4) return;  // mid-epoch, a last.pt due (epochs end at steps 3, 6, 9)
    stepBeforeFull = readCheckpointHeader(run / "last.pt").state.step;
    rlimit full = unlimited;
    full.rlim_cur = 1 << 20;  // checkpoints are tens of MB; metrics lines fit
    ::setrlimit(RLIMIT_FSIZE, &full);
  };
  observer.onEvent = [&](const TrainingEvent& e) {
    if (e.event != "write_failed") return;
    failures.push_back(e.message);
    stepOnDisk = readCheckpointHeader(run / "last.pt").state.step;
    ::setrlimit(RLIMIT_FSIZE, &unlimited);  // space freed
    trainer.resume();
    pausedWhileFull = true;
  };
  const TrainingOutcome outcome = trainer.run(observer);
  ::setrlimit(RLIMIT_FSIZE, &unlimited);
  ::sigaction(SIGXFSZ, &previous, nullptr);

  EXPECT_EQ(outcome, TrainingOutcome::kFinished);
  EXPECT_TRUE(pausedWhileFull);
  ASSERT_EQ(failures.size(), 1u) << "one failed write, then the retry after resume worked";
  EXPECT_NE(failures[0].find((run / "last.pt").string()), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find("MB free in"), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find("Paused at step 4"), std::string::npos) << failures[0];
  EXPECT_GT(stepBeforeFull, 0);
  EXPECT_EQ(stepOnDisk, stepBeforeFull) << "while paused, last.pt is the previous one, whole";
  EXPECT_EQ(readCheckpointHeader(run / "last.pt").state.step, 9);
  for (const auto& entry : fs::directory_iterator(run))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos)
        << entry.path() << " left behind";
}

TEST_F(TrainerTest, PauseResumeAndStopFromAnotherThread) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.epochs = 50;  // long enough that only stop() ends it
  Trainer trainer(config, dir.path() / "run");
  std::atomic<int64_t> lastStep{0};
  std::vector<std::string> events;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) { lastStep = m.step; };
  observer.onEvent = [&](const TrainingEvent& e) { events.push_back(e.event); };

  std::thread controller([&] {
    while (lastStep < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    trainer.pause();
    while (!trainer.isPaused()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const int64_t pausedAt = lastStep;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(lastStep, pausedAt) << "no step may run while paused";
    trainer.resume();
    while (lastStep < pausedAt + 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    trainer.stop();
  });
  const TrainingOutcome outcome = trainer.run(observer);
  controller.join();
  EXPECT_EQ(outcome, TrainingOutcome::kStopped);
  EXPECT_NE(std::find(events.begin(), events.end(), "paused"), events.end());
  EXPECT_NE(std::find(events.begin(), events.end(), "resumed"), events.end());
  EXPECT_EQ(events.back(), "stopped");
  EXPECT_EQ(readCheckpointHeader(dir.path() / "run" / "last.pt").state.step, lastStep.load());
}

TEST_F(TrainerTest, NonFiniteStepsAreSkippedThenRolledBackAndPaused) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.maxBadStepsInRow = 3;
  config.checkpoints.everySteps = 2;
  Trainer trainer(config, dir.path() / "run");
  std::vector<TrainingEvent> events;
  std::atomic<bool> rolledBack{false};
  int badTriesLeft = 0;  // the next tries whose loss the check sees as NaN
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) {
    if (m.step == 2) badTriesLeft = 2;  // two bad steps: skipped
    if (m.step == 4) badTriesLeft = 3;  // three in a row: roll back
  };
  observer.checkedLoss = [&](int64_t, double loss) {
    if (badTriesLeft == 0) return loss;
    --badTriesLeft;
    return std::numeric_limits<double>::quiet_NaN();
  };
  observer.onEvent = [&](const TrainingEvent& e) {
    events.push_back(e);
    if (e.event == "rolled_back") rolledBack = true;
  };
  std::thread controller([&] {
    while (!rolledBack) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    while (!trainer.isPaused()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    trainer.stop();
  });
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kStopped);
  controller.join();
  int skipped = 0;
  for (const auto& e : events) skipped += e.event == "nan_skipped";
  EXPECT_EQ(skipped, 5);
  auto rolled = std::find_if(events.begin(), events.end(),
                             [](const TrainingEvent& e) { return e.event == "rolled_back"; });
  ASSERT_NE(rolled, events.end());
  EXPECT_NE(rolled->message.find("step 4"), std::string::npos) << rolled->message;
}

TEST_F(TrainerTest, AFailedMapEvaluationIsAnErrorEventThatSaysWhatBecameOfBestPt) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.epochs = 2;
  config.evalEveryEpochs = 1;
  config.checkpoints.bestBy = "map50";
  Trainer trainer(config, dir.path() / "run");
  std::vector<TrainingEvent> events;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) {
    // Both test images the run read at its start are damaged before the first evaluation:
    // nothing is left to measure (one bad image alone is left out: the next test).
    if (m.step == 1)
      for (const char* name : {"6.png", "7.png"})
        std::ofstream(dir.path() / "img" / name, std::ios::trunc) << "not a png";
  };
  observer.onEvent = [&](const TrainingEvent& e) { events.push_back(e); };
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kFinished);

  std::vector<std::string> failures;
  for (const auto& e : events)
    if (e.event == "map_failed") failures.push_back(e.message);
  ASSERT_EQ(failures.size(), 2u) << "one per evaluation";
  EXPECT_NE(failures[0].find("epoch 1"), std::string::npos) << failures[0];
  EXPECT_NE(failures[0].find("6.png"), std::string::npos) << "names the file: " << failures[0];
  EXPECT_NE(failures[0].find("best.pt holds the latest weights"), std::string::npos) << failures[0];
  EXPECT_TRUE(fs::exists(dir.path() / "run" / "best.pt"));
  EXPECT_EQ(countLines(dir.path() / "run" / "metrics.jsonl", "\"map_failed\""), 2);
}

TEST_F(TrainerTest, OneUnreadableTestImageIsNamedOnceAndLeftOutOfTheMap) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.epochs = 2;
  config.evalEveryEpochs = 1;
  Trainer trainer(config, dir.path() / "run");
  std::vector<TrainingEvent> events;
  std::vector<double> maps;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) {
    if (m.step == 1) std::ofstream(dir.path() / "img" / "6.png", std::ios::trunc) << "not a png";
  };
  observer.onEvent = [&](const TrainingEvent& e) { events.push_back(e); };
  observer.onEpoch = [&](const EpochMetrics& m) {
    if (m.map50) maps.push_back(*m.map50);
  };
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kFinished);

  std::vector<std::string> warnings;
  for (const auto& e : events) {
    EXPECT_NE(e.event, "map_failed") << e.message;
    if (e.event == "data_warning" && e.message.find("6.png") != std::string::npos)
      warnings.push_back(e.message);
  }
  ASSERT_EQ(warnings.size(), 1u) << "named once, not once per evaluation";
  EXPECT_NE(warnings[0].find("mAP without a test image"), std::string::npos) << warnings[0];
  EXPECT_EQ(maps.size(), 2u) << "both evaluations measured the readable image";
}

TEST_F(TrainerTest, CheckpointRoundTripGivesIdenticalOutputs) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  auto a = yolo::model::createModel(config.model);
  auto b = yolo::model::createModel(config.model);
  // Non-trivial batch-norm statistics, so buffers are checked too.
  a->train();
  a->forward(torch::rand({2, 3, 64, 64}));
  a->eval();
  b->eval();
  saveCheckpoint(dir.path() / "a.pt", CheckpointHeader{1, config, {"square", "bar"}, {}}, *a,
                 nullptr);
  const CheckpointHeader h = loadCheckpoint(dir.path() / "a.pt", *b, nullptr);
  EXPECT_EQ(h.classNames.size(), 2u);
  const torch::Tensor x = torch::rand({1, 3, 64, 64});
  const auto ya = a->forward(x), yb = b->forward(x);
  for (std::size_t s = 0; s < ya.size(); ++s) EXPECT_TRUE(torch::equal(ya[s], yb[s]));
}

TEST_F(TrainerTest, LoadingIntoAnotherModelOrATruncatedFileFailsClearly) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  auto a = yolo::model::createModel(config.model);
  saveCheckpoint(dir.path() / "a.pt", CheckpointHeader{1, config, {}, {}}, *a, nullptr);

  yolo::model::ModelSpec other = config.model;
  other.numClasses = 5;
  auto b = yolo::model::createModel(other);
  const torch::Tensor before = b->parameters().back().clone();
  try {
    loadCheckpoint(dir.path() / "a.pt", *b, nullptr);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("shape"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(torch::equal(before, b->parameters().back()))
      << "a failed load must not change the model";

  const auto size = fs::file_size(dir.path() / "a.pt");
  fs::copy_file(dir.path() / "a.pt", dir.path() / "cut.pt");
  fs::resize_file(dir.path() / "cut.pt", size / 2);
  try {
    loadCheckpoint(dir.path() / "cut.pt", *a, nullptr);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cut.pt"), std::string::npos) << e.what();
  }
}

TEST_F(TrainerTest, APlanChangedMidRunMovesTheRateFromTheNextStepAndResumeFollowsIt) {
  yolo::test::ScratchDir dir;
  const RunConfig config = tinyRun(dir.path());  // 3 steps an epoch, 3 epochs, 1 warm-up
  const fs::path runDir = dir.path() / "run";
  ScheduleChange change;
  change.epochs = 5;
  change.lrInit = 2e-3;
  std::vector<StepMetrics> steps;
  std::vector<LoggedEvent> adjustments;
  {
    Trainer trainer(config, runDir);
    TrainingObserver observer;
    observer.onStep = [&](const StepMetrics& m) {
      steps.push_back(m);
      // Asked from "another program" while the trainer holds the run: a request it takes
      // before step 5.
      if (m.step == 4) {
        EXPECT_EQ(adjustRun(runDir, change).kind, RunAdjustment::Kind::kRequested);
      }
      if (m.step == 7) trainer.stop();
    };
    observer.onEvent = [&](const TrainingEvent& e) {
      if (e.event == "schedule_adjusted")
        adjustments.push_back({e, static_cast<int64_t>(steps.size())});
    };
    EXPECT_EQ(trainer.run(observer), TrainingOutcome::kStopped);
  }
  const LrSchedule before = scheduleFor(config, 3);
  const LrSchedule after = scheduleFor(withScheduleChange(config, change), 3);
  ASSERT_EQ(steps.size(), 7u);
  for (const StepMetrics& m : steps) {
    const LrSchedule& plan = m.step <= 4 ? before : after;
    EXPECT_DOUBLE_EQ(m.lr, plan.at(m.step - 1)) << "step " << m.step;
    EXPECT_EQ(m.totalSteps, m.step <= 4 ? 9 : 15) << "step " << m.step;
  }
  ASSERT_EQ(adjustments.size(), 1u);
  EXPECT_EQ(adjustments[0].step, 4);
  EXPECT_NE(adjustments[0].event.message.find("epochs 3 -> 5"), std::string::npos);
  const auto logged = lastScheduleEvent(runDir);
  ASSERT_TRUE(logged);
  EXPECT_EQ(logged->event.event, "schedule_adjusted");
  EXPECT_EQ(logged->step, 4);
  RunConfig saved = loadRunConfig(runDir / "config.json");
  EXPECT_EQ(saved.epochs, 5);
  EXPECT_DOUBLE_EQ(saved.lrInit, 2e-3);

  // Stopped: a change that ends the plan before the 7 steps done is refused, naming them;
  // one that leaves steps is written to config.json at once.
  ScheduleChange tooShort;
  tooShort.epochs = 2;
  EXPECT_THROW(adjustRun(runDir, tooShort), std::runtime_error);
  ScheduleChange longer;
  longer.epochs = 4;
  longer.lrEnd = 1e-5;
  EXPECT_EQ(adjustRun(runDir, longer).kind, RunAdjustment::Kind::kApplied);
  saved = loadRunConfig(runDir / "config.json");
  EXPECT_EQ(saved.epochs, 4);

  // The resumed run says what changed since its checkpoint and follows the new plan.
  std::vector<StepMetrics> resumed;
  std::vector<std::string> events;
  auto trainer = Trainer::resumeFrom(runDir);
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) { resumed.push_back(m); };
  observer.onEvent = [&](const TrainingEvent& e) {
    if (e.event == "schedule_adjusted") events.push_back(e.message);
  };
  EXPECT_EQ(trainer->run(observer), TrainingOutcome::kFinished);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].find("epochs 5 -> 4"), std::string::npos) << events[0];
  const LrSchedule resumedPlan = scheduleFor(saved, 3);
  ASSERT_EQ(resumed.size(), 5u);  // steps 8 to 12
  for (const StepMetrics& m : resumed) {
    EXPECT_DOUBLE_EQ(m.lr, resumedPlan.at(m.step - 1)) << "step " << m.step;
  }
  EXPECT_FALSE(fs::exists(scheduleRequestPath(runDir)));
}

TEST_F(TrainerTest, APlanChangeThatCannotApplyIsRefusedWithAnEventAndTheRunGoesOn) {
  yolo::test::ScratchDir dir;
  const RunConfig config = tinyRun(dir.path());  // 9 steps planned
  const fs::path runDir = dir.path() / "run";
  Trainer trainer(config, runDir);
  std::vector<std::string> refused;
  int64_t lastStep = 0;
  TrainingObserver observer;
  observer.onStep = [&](const StepMetrics& m) {
    lastStep = m.step;
    if (m.step == 7) {
      // 2 epochs are 6 steps: fewer than the 7 done. Written as a file, as another program
      // would: only the trainer knows the steps done.
      ScheduleChange change;
      change.epochs = 2;
      writeScheduleRequest(runDir, change);
    }
  };
  observer.onEvent = [&](const TrainingEvent& e) {
    if (e.event == "adjust_refused") refused.push_back(e.message);
  };
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kFinished);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_NE(refused[0].find("7 steps"), std::string::npos) << refused[0];
  EXPECT_EQ(lastStep, 9);
  EXPECT_EQ(loadRunConfig(runDir / "config.json").epochs, 3);
  EXPECT_FALSE(fs::exists(scheduleRequestPath(runDir)));
}

TEST_F(TrainerTest, EachMapEvaluationIsKeptInTheRunFolderWithTheSameFigure) {
  yolo::test::ScratchDir dir;
  RunConfig config = tinyRun(dir.path());
  config.evalEveryEpochs = 1;
  const fs::path runDir = dir.path() / "run";
  std::vector<EpochMetrics> epochs;
  Trainer trainer(config, runDir);
  TrainingObserver observer;
  observer.onEpoch = [&](const EpochMetrics& m) {
    // Written before the epoch is reported: a reader that sees the record finds the file.
    EXPECT_TRUE(fs::exists(yolo::eval::savedEvaluationPath(runDir, m.epoch))) << m.epoch;
    epochs.push_back(m);
  };
  EXPECT_EQ(trainer.run(observer), TrainingOutcome::kFinished);
  EXPECT_EQ(yolo::eval::savedEvaluationEpochs(runDir), (std::vector<int>{1, 2, 3}));
  for (const EpochMetrics& m : epochs) {
    ASSERT_TRUE(m.map50);
    const auto saved = yolo::eval::loadEvaluation(yolo::eval::savedEvaluationPath(runDir, m.epoch));
    EXPECT_EQ(saved.epoch, m.epoch);
    EXPECT_EQ(saved.step, m.step);
    EXPECT_EQ(saved.report.imagePaths.size(), 2u);  // the test images
    EXPECT_EQ(saved.classNames, (std::vector<std::string>{"square", "bar"}));
    EXPECT_DOUBLE_EQ(saved.report.result.map50, *m.map50) << "epoch " << m.epoch;
  }
}
