#include "core/train/trainer.h"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>

#include "core/data/annotation_file.h"
#include "core/data/batch_loader.h"
#include "core/data/dataset_source.h"
#include "core/data/detection_dataset.h"
#include "core/eval/evaluate_network.h"
#include "core/eval/saved_evaluation.h"
#include "core/model/darknet_io.h"
#include "core/model/yolo_net.h"
#include "core/run/checkpoint.h"
#include "core/run/mixed_precision.h"
#include "core/run/schedule_change.h"
#include "core/train/backbone_freeze.h"
#include "core/train/fused_adam.h"
#include "core/train/lr_schedule.h"
#include "core/train/metrics_log.h"
#include "core/train/training_memory.h"
#include "core/train/training_step.h"
#include "core/train/weight_average.h"
#include "core/util/atomic_file.h"
#include "core/util/class_names.h"
#include "core/util/compute_device.h"
#include "core/util/compute_threads.h"
#include "core/util/folder_lock.h"

namespace yolo::train {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<data::Sample> loadSamples(const std::string& file, int numClasses,
                                      std::vector<std::string>& warnings) {
  data::AnnotationReadOptions options;
  options.numClasses = numClasses;
  data::AnnotationLoadResult result = data::readAnnotationFile(file, options);
  for (const auto& issue : result.issues) warnings.push_back(data::toString(issue));
  return std::move(result.samples);
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// How often a paused run looks for a plan change asked by another process.
constexpr std::chrono::milliseconds kPausedPollInterval{250};

}  // namespace

struct Trainer::Impl {
  run::RunConfig config;
  fs::path runDir;
  std::vector<std::string> classNames;
  std::vector<std::string> dataWarnings;
  std::set<std::string> reportedUnreadable;        ///< test images the mAP left out, named once
  std::set<std::size_t> unreadableTrainingImages;  ///< samples left out of their batches
  std::string datasetSummary;  ///< DatasetSplits::summary() of config.dataset, when set
  torch::Device device = torch::kCPU;

  std::unique_ptr<data::DetectionDataset> trainSet;
  std::unique_ptr<data::DetectionDataset> testSet;
  std::shared_ptr<model::YoloNetImpl> net;
  std::unique_ptr<torch::optim::Adam> optimizer;
  std::unique_ptr<WeightAverage> average;  ///< null when config.emaDecay == 0
  LrSchedule schedule;
  int64_t stepsPerEpoch = 0;
  int64_t plannedSteps = 0;
  int mapInterval = 0;  ///< epochs between mAP evaluations (run::mapEvaluationInterval())
  run::CheckpointState state;
  int64_t savedAtStep = -1;  ///< state.step when last.pt was last written by this process
  std::unique_ptr<MetricsLog> log;
  std::unique_ptr<FolderLock> runLock;  ///< held from set-up until the Trainer is destroyed

  // Control from other threads.
  std::mutex controlMutex;
  std::condition_variable controlChanged;
  bool pauseRequested = false;
  bool stopRequested = false;
  std::atomic<bool> paused{false};

  bool resumedRun = false;
  std::string pretrainedReport;  ///< DarknetLoadReport::summary(), logged when the run starts
  std::string staleFilesReport;  ///< describeRemoved() of the run folder's stale files
  /// describeScheduleChange() from last.pt's config to config.json's: a change made while
  /// no trainer ran the run (`train --adjust`) or after the last checkpoint.
  std::string planChangedSinceCheckpoint;
  bool backboneFrozen = false;

  void setUp(bool resuming) {
    resumedRun = resuming;
    if (const auto problems = validate(config); !problems.empty()) {
      std::string all;
      for (const auto& p : problems) all += "\n  - " + p;
      throw std::runtime_error("the run configuration has problems:" + all);
    }
    std::vector<data::Sample> train, test;
    if (!config.dataset.empty()) {
      data::DatasetSplits d =
          data::openDatasetSplits(config.dataset, {config.validationShare, config.seed});
      datasetSummary = d.summary();
      for (const auto& issue : d.issues) dataWarnings.push_back(data::toString(issue));
      classNames = d.classNames;
      train = std::move(d.train);
      test = std::move(d.validation);
    } else {
      classNames = readClassNames(config.classesFile);
    }
    if (static_cast<int>(classNames.size()) != config.model.numClasses) {
      // The names file is the truth about the classes; the model follows it.
      config.model.numClasses = static_cast<int>(classNames.size());
    }
    if (config.model.anchors.empty())
      config.model.anchors = model::defaultAnchors(config.model.architecture);

    setComputeThreads(config.threads);
    device = computeDevice(config.device);
    // Refuses bf16 on CUDA before any work.
    const std::string precision = run::resolvePrecision(config.precision, device.is_cpu());

    const data::AugmentSwitches& augment = config.augment;
    if (config.dataset.empty()) {
      train = loadSamples(config.trainAnnotations, config.model.numClasses, dataWarnings);
      if (!config.testAnnotations.empty())
        test = loadSamples(config.testAnnotations, config.model.numClasses, dataWarnings);
    }
    if (train.empty()) {
      throw std::runtime_error((config.dataset.empty() ? config.trainAnnotations : config.dataset) +
                               ": no usable training samples");
    }
    trainSet =
        std::make_unique<data::DetectionDataset>(std::move(train), config.model.inputSize, augment);
    if (!test.empty()) {
      testSet = std::make_unique<data::DetectionDataset>(std::move(test), config.model.inputSize,
                                                         augment);
    }
    if (config.batchSize > static_cast<int>(trainSet->size())) {
      throw std::runtime_error("batch size " + std::to_string(config.batchSize) +
                               " is larger than the " + std::to_string(trainSet->size()) +
                               " training images");
    }
    // Before the model is built: on the CPU a run larger than memory is not refused by an
    // allocation but killed by the kernel minutes in, without a word.
    if (device.is_cpu()) {
      const int bytesPerValue = precision == "bf16" ? 2 : 4;
      refuseRunLargerThanMemory(config.model, config.batchSize, config.dataWorkers, bytesPerValue,
                                availableMemoryBytes());
    }

    mapInterval =
        testSet ? run::mapEvaluationInterval(config, trainSet->size(), testSet->size()) : 0;
    freshModelAndOptimizer();

    stepsPerEpoch =
        (static_cast<int64_t>(trainSet->size()) + config.batchSize - 1) / config.batchSize;
    plan();

    fs::create_directories(runDir);
    // Before anything in the folder is touched: a second trainer on this run (another
    // `train --resume`, the workbench and the CLI) is refused, naming the first.
    runLock = std::make_unique<FolderLock>(runDir);
    // A process killed mid-write (kill -9, power loss) leaves its temporary checkpoint
    // behind, up to hundreds of MB each time; the writer's lock tells whose is dead.
    staleFilesReport = describeRemoved(removeStaleTemporaryFiles(runDir));
    if (resuming) {
      const run::CheckpointHeader header =
          run::loadCheckpoint(runDir / "last.pt", *net, optimizer.get(), averagedModule());
      state = header.state;
      planChangedSinceCheckpoint = run::describeScheduleChange(header.config, config);
    } else {
      run::saveRunConfig(config, runDir / "config.json");
    }
    log = std::make_unique<MetricsLog>(runDir / "metrics.jsonl", resuming ? state.step : -1);
  }

  // The steps and rates of the run, from the config (again after a schedule change).
  void plan() {
    plannedSteps = run::plannedSteps(config, stepsPerEpoch);
    schedule = scheduleFor(config, stepsPerEpoch);
  }

  // Applies the changes asked of the run (run/schedule_change.h) before the next step: a
  // change that cannot apply is refused with an event saying why, and the run goes on.
  void takeScheduleChanges(const TrainingObserver& observer) {
    std::optional<run::ScheduleChange> change;
    try {
      change = run::takeScheduleRequest(runDir);
    } catch (const std::exception& e) {
      emit(observer, "adjust_refused", e.what());
    }
    if (!change) return;
    const std::vector<std::string> problems =
        run::checkScheduleChange(config, *change, state.step, stepsPerEpoch);
    if (!problems.empty()) {
      std::string all;
      for (const auto& p : problems) all += (all.empty() ? "" : "; ") + p;
      emit(observer, "adjust_refused",
           "plan not changed at step " + std::to_string(state.step) + ": " + all);
      return;
    }
    const run::RunConfig changed = run::withScheduleChange(config, *change);
    const std::string what = run::describeScheduleChange(config, changed);
    if (what.empty()) return;
    try {
      run::saveRunConfig(changed, runDir / "config.json");
    } catch (const std::exception& e) {
      emit(observer, "adjust_refused", std::string("plan not changed: ") + e.what());
      return;
    }
    config = changed;
    plan();
    emit(observer, "schedule_adjusted", describePlanChange(what));
  }

  std::string describePlanChange(const std::string& what) const {
    return what + " from step " + std::to_string(state.step + 1) + ": " +
           std::to_string(plannedSteps) + " steps planned";
  }

  // Seeded, so a new run and a rollback without checkpoint start from the same weights.
  void freshModelAndOptimizer() {
    torch::manual_seed(config.seed);
    net = model::createModel(config.model);
    backboneFrozen = false;
    // Transfer learning: only a new run starts from Darknet weights; a resume has its own.
    if (!resumedRun && !config.pretrainedWeights.empty()) {
      model::DarknetLoadOptions options;
      options.skipMismatchedLayers = true;
      pretrainedReport =
          model::loadDarknetWeights(*net, config.pretrainedWeights, options).summary();
    }
    net->to(device);
    optimizer = std::make_unique<FusedAdam>(
        net->parameters(),
        torch::optim::AdamOptions(config.lrInit).weight_decay(config.weightDecay));
    average =
        config.emaDecay > 0 ? std::make_unique<WeightAverage>(*net, config.emaDecay) : nullptr;
  }

  torch::nn::Module* averagedModule() { return average ? &average->net() : nullptr; }

  // The weights validation, mAP and best.pt use: the average when there is one.
  model::YoloNetImpl& evaluatedNet() { return average ? average->net() : *net; }

  run::CheckpointHeader header() const { return {1, config, classNames, state}; }

  void saveLast() {
    run::saveCheckpoint(runDir / "last.pt", header(), *net, optimizer.get(), averagedModule());
    savedAtStep = state.step;
  }

  void emit(const TrainingObserver& observer, const std::string& event,
            const std::string& message) {
    const TrainingEvent e{event, message};
    log->append(toJson(e, state.step));
    if (observer.onEvent) observer.onEvent(e);
  }

  // Parks while paused; true when the run should stop.
  bool waitWhilePaused(const TrainingObserver& observer) {
    std::unique_lock<std::mutex> lock(controlMutex);
    if (stopRequested) return true;
    if (!pauseRequested) return false;
    paused = true;
    lock.unlock();
    emit(observer, "paused", "paused at step " + std::to_string(state.step));
    lock.lock();
    // A plan change asked while paused applies now, so the user sees it at once.
    while (!controlChanged.wait_for(lock, kPausedPollInterval,
                                    [&] { return !pauseRequested || stopRequested; })) {
      lock.unlock();
      takeScheduleChanges(observer);
      lock.lock();
    }
    paused = false;
    const bool stop = stopRequested;
    lock.unlock();
    if (!stop) emit(observer, "resumed", "resumed at step " + std::to_string(state.step));
    return stop;
  }

  void setLearningRate(double lr) {
    for (auto& group : optimizer->param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
  }

  BatchLoaderCollate collate() const { return makeTargetCollate(*net, config); }

  std::optional<LossValues> validationLoss() {
    if (!testSet) return std::nullopt;
    torch::NoGradGuard noGrad;
    model::YoloNetImpl& evaluated = evaluatedNet();
    const bool wasTraining = evaluated.is_training();
    evaluated.eval();
    data::BatchLoader loader(*testSet, data::epochOrder(testSet->size(), config.seed, 0, false),
                             config.batchSize, config.dataWorkers, /*augment=*/false, config.seed,
                             0, collate());
    LossValues sum;
    int64_t batches = 0;
    while (auto batch = loader.next()) {
      if (!batch->images.defined()) continue;
      const LossValues v = evaluateLoss(evaluated, *batch, config, device);
      accumulate(sum, v, 1.0);
      ++batches;
    }
    evaluated.train(wasTraining);
    if (batches == 0) return std::nullopt;
    scale(sum, 1.0 / static_cast<double>(batches));
    return sum;
  }

  // What a failed mAP evaluation means for the run, best.pt included: with best_by map50
  // the epoch cannot become the best, so best.pt keeps the best measured epoch (or, before
  // any mAP was measured, the weights saved as a first best.pt).
  std::string mapFailureMessage(int epoch, const std::string& what) const {
    std::string consequence;
    if (config.checkpoints.bestBy != "map50")
      consequence = "best.pt follows " + config.checkpoints.bestBy + " and is not affected";
    else if (state.hasBest)
      consequence = "best.pt keeps the best mAP so far (" + std::to_string(state.bestMetric) + ")";
    else
      consequence = "best.pt holds the latest weights until an mAP can be measured";
    return "mAP evaluation after epoch " + std::to_string(epoch + 1) + " failed: " + what + "; " +
           consequence;
  }

  struct TestSetFigures {
    std::optional<LossValues> validation;
    std::optional<double> map50;
  };

  // Validation loss after every epoch; mAP@0.5 every mapInterval epochs and after the last
  // one. When both are due, one forward pass over the test set gives both.
  TestSetFigures evaluateTestSet(const TrainingObserver& observer, int epoch) {
    if (!testSet) return {};
    const bool lastEpoch = state.step >= plannedSteps;
    const bool mapDue = mapInterval > 0 && (lastEpoch || (epoch + 1) % mapInterval == 0);
    if (!mapDue) return {validationLoss(), std::nullopt};

    LossValues lossSum;
    int64_t batches = 0;
    eval::NetworkEvalOptions options;
    options.batchSize = config.batchSize;
    // A stop request during evaluation cuts it short rather than waiting for all images.
    options.progress = [this](int, int) {
      std::lock_guard<std::mutex> lock(controlMutex);
      return !stopRequested;
    };
    options.onBatch = [&](const std::vector<torch::Tensor>& raw,
                          const std::vector<torch::Tensor>& groundTruth) {
      accumulate(lossSum, lossOfOutputs(evaluatedNet(), raw, groundTruth, config), 1.0);
      ++batches;
    };
    TestSetFigures figures;
    try {
      eval::SavedEvaluation saved;
      saved.report =
          eval::evaluateNetworkReport(evaluatedNet(), testSet->samples(), classNames, options);
      const eval::EvaluationResult& result = saved.report.result;
      figures.map50 = result.map50;
      // An image that cannot be read is left out of the mAP and named once per run.
      for (const std::string& why : result.unreadableImages)
        if (reportedUnreadable.insert(why).second)
          emit(observer, "data_warning", "mAP without a test image: " + why);
      if (!stopRequestedNow()) keepEvaluation(observer, epoch, std::move(saved));
    } catch (const std::exception& e) {
      emit(observer, "map_failed", mapFailureMessage(epoch, e.what()));
      return {validationLoss(), std::nullopt};
    }
    if (batches > 0) {
      scale(lossSum, 1.0 / static_cast<double>(batches));
      figures.validation = lossSum;
    }
    return figures;
  }

  bool stopRequestedNow() {
    std::lock_guard<std::mutex> lock(controlMutex);
    return stopRequested;
  }

  // The evaluation's images, boxes and detections, for the workbench to show what the
  // detector gets wrong at this epoch. Written before the epoch's record, so a reader that
  // sees the record finds the file. A failure costs only the file.
  void keepEvaluation(const TrainingObserver& observer, int epoch, eval::SavedEvaluation saved) {
    saved.epoch = epoch + 1;
    saved.step = state.step;
    saved.classNames = classNames;
    const fs::path file = eval::savedEvaluationPath(runDir, epoch + 1);
    try {
      eval::saveEvaluation(file, saved);
    } catch (const std::exception& e) {
      emit(observer, "evaluation_not_saved", e.what());
    }
  }

  void rollBack(const TrainingObserver& observer, const std::string& why) {
    if (fs::exists(runDir / "last.pt")) {
      const run::CheckpointHeader h =
          run::loadCheckpoint(runDir / "last.pt", *net, optimizer.get(), averagedModule());
      state = h.state;
      state.badStepsInRow = 0;
      emit(observer, "rolled_back",
           why + "; rolled back to the checkpoint at step " + std::to_string(state.step) +
               " and paused");
    } else {
      emit(observer, "rolled_back",
           why + "; no checkpoint yet, weights were re-initialised and paused");
      freshModelAndOptimizer();
      state = run::CheckpointState{};
    }
    std::lock_guard<std::mutex> lock(controlMutex);
    pauseRequested = true;
  }

  // The backbone takes no gradient for the first config.freezeBackboneEpochs epochs. Its
  // BatchNorm statistics still follow the new data (the module stays in train mode).
  void freezeBackboneFor(const TrainingObserver& observer, int epoch) {
    const bool frozen = epoch < config.freezeBackboneEpochs;
    if (frozen == backboneFrozen) return;
    setBackboneFrozen(*net, frozen);
    backboneFrozen = frozen;
    const int convs = backboneConvCount(config.model.architecture);
    emit(observer, frozen ? "backbone_frozen" : "backbone_unfrozen",
         "backbone (" + std::to_string(convs) + " convs) " +
             (frozen ? "frozen until epoch " + std::to_string(config.freezeBackboneEpochs + 1)
                     : "trained from epoch " + std::to_string(epoch + 1) + " on"));
  }

  TrainingOutcome run(const TrainingObserver& observer) {
    emit(observer, "started",
         "training " + config.model.architecture + " at " + std::to_string(config.model.inputSize) +
             " on " + std::to_string(trainSet->size()) + " images, " +
             std::to_string(plannedSteps) + " steps in " +
             run::describePrecision(config.precision, device.is_cpu()) +
             (state.step > 0 ? ", resuming at step " + std::to_string(state.step) : "") +
             (mapInterval == 0 ? ""
              : mapInterval == 1
                  ? "; mAP@0.5 on the test set after every epoch"
                  : "; mAP@0.5 on the test set every " + std::to_string(mapInterval) + " epochs"));
    if (!staleFilesReport.empty()) emit(observer, "cleaned_up", staleFilesReport);
    if (!planChangedSinceCheckpoint.empty())
      emit(observer, "schedule_adjusted", describePlanChange(planChangedSinceCheckpoint));
    if (!datasetSummary.empty()) emit(observer, "dataset", datasetSummary);
    for (const auto& w : dataWarnings) emit(observer, "data_warning", w);
    if (!pretrainedReport.empty() && state.step == 0)
      emit(observer, "pretrained", pretrainedReport);
    net->train();
    const auto runStart = Clock::now();
    const int64_t stepAtStart = state.step;

    while (state.step < plannedSteps) {
      const int epoch = state.epoch;
      const auto epochStart = Clock::now();
      freezeBackboneFor(observer, epoch);
      data::BatchLoader loader(
          *trainSet, data::epochOrder(trainSet->size(), config.seed, epoch, true), config.batchSize,
          config.dataWorkers, /*augment=*/true, config.seed, epoch, collate(), state.stepInEpoch);
      bool rolledBack = false;
      for (;;) {
        if (waitWhilePaused(observer)) return stopNow(observer);
        takeScheduleChanges(observer);
        if (state.step >= plannedSteps) break;
        const auto stepStart = Clock::now();
        const double waitBefore = loader.waitSeconds();
        auto batch = loader.next();
        if (!batch) break;
        for (const auto& skipped : batch->skipped) noteUnreadableTrainingImage(observer, skipped);
        if (!batch->images.defined()) {
          ++state.stepInEpoch;
          continue;
        }

        const double lr = schedule.at(state.step);
        setLearningRate(lr);
        std::function<double(double)> checkedLoss;
        if (observer.checkedLoss)
          checkedLoss = [&](double value) { return observer.checkedLoss(state.step + 1, value); };
        std::optional<LossValues> loss =
            trainStep(*net, *optimizer, *batch, config, device, checkedLoss);
        if (!loss) {
          ++state.badStepsInRow;
          emit(observer, "nan_skipped",
               "non-finite loss or gradient at step " + std::to_string(state.step + 1) +
                   ": step skipped");
          if (state.badStepsInRow >= config.maxBadStepsInRow) {
            rollBack(observer, std::to_string(state.badStepsInRow) + " non-finite steps in a row");
            rolledBack = true;
            break;
          }
          continue;
        }
        state.badStepsInRow = 0;
        ++state.step;
        ++state.stepInEpoch;
        if (average) average->update(*net, state.step);

        const double stepSeconds = seconds(Clock::now() - stepStart);
        StepMetrics m;
        m.step = state.step;
        m.totalSteps = plannedSteps;
        m.epoch = epoch + 1;
        m.totalEpochs = static_cast<int>((plannedSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        m.stepInEpoch = static_cast<int>(state.stepInEpoch);
        m.stepsPerEpoch = static_cast<int>(stepsPerEpoch);
        m.lr = lr;
        m.loss = *loss;
        m.imagesPerSecond = batch->images.size(0) / std::max(1e-9, stepSeconds);
        m.dataWait =
            std::clamp((loader.waitSeconds() - waitBefore) / std::max(1e-9, stepSeconds), 0.0, 1.0);
        const double elapsed = seconds(Clock::now() - runStart);
        const int64_t done = state.step - stepAtStart;
        m.etaSeconds =
            done > 0 ? elapsed / done * static_cast<double>(plannedSteps - state.step) : 0;
        log->append(toJson(m));
        if (observer.onStep) observer.onStep(m);

        // A step that ends the epoch is checkpointed by finishEpoch, after the epoch's record.
        const bool endsEpoch = state.stepInEpoch >= stepsPerEpoch || state.step >= plannedSteps;
        if (!endsEpoch && checkpointDueAtThisStep()) {
          saveOrPause(observer, "last.pt", [&] { saveLast(); });
          emit(observer, "checkpoint", "saved last.pt at step " + std::to_string(state.step));
        }
        if (state.step >= plannedSteps) break;
      }
      if (rolledBack) continue;
      if (state.stepInEpoch >= stepsPerEpoch || state.step >= plannedSteps) {
        finishEpoch(observer, epoch, epochStart);
      }
    }
    // finishEpoch has saved the last epoch's.
    if (savedAtStep != state.step) saveOrPause(observer, "last.pt", [&] { saveLast(); });
    emit(observer, "finished",
         "finished after " + std::to_string(state.step) + " steps" +
             unreadableTrainingImagesSummary());
    return TrainingOutcome::kFinished;
  }

  void finishEpoch(const TrainingObserver& observer, int epoch, Clock::time_point epochStart) {
    EpochMetrics em;
    em.epoch = epoch + 1;
    em.step = state.step;
    TestSetFigures figures = evaluateTestSet(observer, epoch);
    em.validation = std::move(figures.validation);
    em.map50 = figures.map50;
    em.seconds = seconds(Clock::now() - epochStart);
    if (state.stepInEpoch >= stepsPerEpoch) {
      state.epoch = epoch + 1;
      state.stepInEpoch = 0;
    }
    const std::optional<double> metric = config.checkpoints.bestBy == "map50" ? em.map50
                                         : em.validation
                                             ? std::optional<double>(em.validation->total)
                                             : std::nullopt;
    const bool higherIsBetter = config.checkpoints.bestBy == "map50";
    const bool isBest = metric && (!state.hasBest || (higherIsBetter ? *metric > state.bestMetric
                                                                     : *metric < state.bestMetric));
    if (isBest) {
      state.bestMetric = *metric;
      state.hasBest = true;
    }
    log->append(toJson(em));
    if (observer.onEpoch) observer.onEpoch(em);
    // best.pt before last.pt: last.pt's state says which epoch was best, so it must not be
    // on disk before that epoch's best.pt is (a kill between the two would lose the best).
    // Until a first mAP is measured (best_by map50), best.pt follows the latest weights.
    const bool noBestYet = !state.hasBest && config.checkpoints.bestBy == "map50";
    if (isBest || noBestYet || !fs::exists(runDir / "best.pt")) {
      saveOrPause(observer, "best.pt", [&] {
        run::saveCheckpoint(runDir / "best.pt", header(), evaluatedNet(), nullptr);
      });
      if (isBest) {
        emit(observer, "best",
             "best.pt: " + config.checkpoints.bestBy + " " + std::to_string(state.bestMetric) +
                 " at epoch " + std::to_string(epoch + 1));
      }
    }
    // last.pt comes last, so everything this epoch wrote is older than the checkpoint: a run
    // killed before it resumes from the previous checkpoint, and metrics.jsonl drops the
    // records past that one (MetricsLog); a run killed after it does not redo the epoch.
    const bool lastEpoch = state.step >= plannedSteps;
    if (lastEpoch || checkpointDueAtThisStep() ||
        (config.checkpoints.everyEpochs > 0 && (epoch + 1) % config.checkpoints.everyEpochs == 0)) {
      saveOrPause(observer, "last.pt", [&] { saveLast(); });
      emit(observer, "checkpoint", "saved last.pt after epoch " + std::to_string(epoch + 1));
    }
  }

  // An image that cannot be read is left out of its batch and named once per run; the run
  // goes on while any training image is readable.
  void noteUnreadableTrainingImage(const TrainingObserver& observer,
                                   const data::SkippedSample& skipped) {
    if (!unreadableTrainingImages.insert(skipped.sample).second) return;
    emit(observer, "data_warning", "training without an image: " + skipped.why);
    if (unreadableTrainingImages.size() == trainSet->size()) {
      throw std::runtime_error("none of the " + std::to_string(trainSet->size()) +
                               " training images can be read; the last: " + skipped.why);
    }
  }

  std::string unreadableTrainingImagesSummary() const {
    const std::size_t n = unreadableTrainingImages.size();
    if (n == 0) return "";
    return "; " + std::to_string(n) + " unreadable training image" + (n == 1 ? "" : "s") +
           " left out (named in the data warnings)";
  }

  // A checkpoint that cannot be written (a full disk, a quota, a file size limit) pauses the
  // run instead of ending it: writes are atomic, so the file on disk is still the previous
  // whole one, and resume() tries again. A stop while paused ends the run with the error.
  void saveOrPause(const TrainingObserver& observer, const std::string& file,
                   const std::function<void()>& save) {
    for (;;) {
      try {
        save();
        return;
      } catch (const std::exception& e) {  // ours name the file; libtorch's c10::Error too
        {
          // Before the event: an observer may resume() from it.
          std::lock_guard<std::mutex> lock(controlMutex);
          pauseRequested = true;
        }
        const std::string why = std::string(e.what()) + "; " + file + " needs about " +
                                std::to_string(checkpointBytes(file == "last.pt") / 1000000 + 1) +
                                " MB free in " + runDir.string();
        emit(observer, "write_failed",
             why + ". Paused at step " + std::to_string(state.step) + " (the " + file +
                 " on disk is the previous one, whole): free space and resume");
        if (waitWhilePaused(observer)) throw std::runtime_error(why);
      }
    }
  }

  // What a checkpoint takes on disk: float32 weights, and for last.pt Adam's two moments
  // and the weight average too.
  std::uintmax_t checkpointBytes(bool withTrainingState) const {
    std::uintmax_t values = 0;
    for (const auto& p : net->parameters()) values += static_cast<std::uintmax_t>(p.numel());
    const int copies = withTrainingState ? 3 + (average ? 1 : 0) : 1;
    return values * sizeof(float) * copies;
  }

  bool checkpointDueAtThisStep() const {
    return config.checkpoints.everySteps > 0 && state.step % config.checkpoints.everySteps == 0;
  }

  TrainingOutcome stopNow(const TrainingObserver& observer) {
    saveLast();
    emit(observer, "stopped", "stopped at step " + std::to_string(state.step) + "; last.pt saved");
    return TrainingOutcome::kStopped;
  }
};

Trainer::Trainer(run::RunConfig config, fs::path runDir) : impl_(std::make_unique<Impl>()) {
  impl_->config = std::move(config);
  impl_->runDir = std::move(runDir);
  impl_->setUp(/*resuming=*/false);
}

std::unique_ptr<Trainer> Trainer::resumeFrom(const fs::path& runDir) {
  if (!fs::is_regular_file(runDir / "last.pt")) {
    throw std::runtime_error(runDir.string() + ": no last.pt to resume from");
  }
  std::unique_ptr<Trainer> trainer(new Trainer());
  trainer->impl_ = std::make_unique<Impl>();
  trainer->impl_->config = run::loadRunConfig(runDir / "config.json");
  trainer->impl_->runDir = runDir;
  trainer->impl_->setUp(/*resuming=*/true);
  return trainer;
}

Trainer::~Trainer() = default;

TrainingOutcome Trainer::run(const TrainingObserver& observer) {
  try {
    return impl_->run(observer);
  } catch (const std::exception& e) {
    try {
      impl_->emit(observer, "failed", e.what());
    } catch (...) {
    }
    throw;
  }
}

void Trainer::pause() {
  std::lock_guard<std::mutex> lock(impl_->controlMutex);
  impl_->pauseRequested = true;
  impl_->controlChanged.notify_all();
}

void Trainer::resume() {
  std::lock_guard<std::mutex> lock(impl_->controlMutex);
  impl_->pauseRequested = false;
  impl_->controlChanged.notify_all();
}

void Trainer::stop() {
  std::lock_guard<std::mutex> lock(impl_->controlMutex);
  impl_->stopRequested = true;
  impl_->controlChanged.notify_all();
}

bool Trainer::isPaused() const { return impl_->paused; }
const run::RunConfig& Trainer::config() const { return impl_->config; }
const fs::path& Trainer::runDir() const { return impl_->runDir; }

}  // namespace yolo::train
