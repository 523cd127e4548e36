// GUI responsiveness while training: the lag of a 10 ms timer in the GUI thread of the real
// MainWindow (offscreen), while its TrainingWorker trains a small yolov3-tiny on a small
// generated dataset and the Train view's plots, progress and log are fed live, with an
// overlaid run of many points followed from its metrics.jsonl, and the Evaluate view shows
// each mAP evaluation the run keeps as it comes (the run evaluates after every epoch). The
// reference is the same timer's lag with the window idle, measured first in the same process.
//
// Lag of a tick = time since the previous tick - 10 ms (a tick that came late because the
// event loop was busy). Prints p50 / p99 / max of both phases, ticks, steps trained.

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPlainTextEdit>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "bench/lag_probe.h"
#include "core/data/digit_source.h"
#include "core/data/generator.h"
#include "core/run/run_config.h"
#include "core/util/process_environment.h"
#include "ui/eval/evaluation_view.h"
#include "ui/main_window.h"
#include "ui/plots/plot_panel.h"
#include "ui/plots/training_plots.h"
#include "ui/train/run_config_form.h"
#include "ui/train/train_view.h"

namespace {

using yolo::bench::LagProbe;
using yolo::bench::runFor;

struct Options {
  double seconds = 30;     // measured while training
  double idleSeconds = 3;  // reference: the same window, no training
  int inputSize = 128;
  int batch = 4;
  int threads = 1;  // torch threads for training; the GUI thread needs a core of its own
  int workers = 1;
  int trainImages = 64;
  int history = 20000;  // steps of the overlaid run read from its metrics.jsonl
};

void usage() {
  std::printf(
      "bench_gui_lag [--seconds S] [--idle-seconds S] [--size PX] [--batch N] [--threads N]\n"
      "              [--workers N] [--images N] [--history STEPS]\n");
}

bool parse(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    }
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (a == "--seconds")
      o.seconds = std::atof(v);
    else if (a == "--idle-seconds")
      o.idleSeconds = std::atof(v);
    else if (a == "--size")
      o.inputSize = std::atoi(v);
    else if (a == "--batch")
      o.batch = std::atoi(v);
    else if (a == "--threads")
      o.threads = std::atoi(v);
    else if (a == "--workers")
      o.workers = std::atoi(v);
    else if (a == "--images")
      o.trainImages = std::atoi(v);
    else if (a == "--history")
      o.history = std::atoi(v);
    else
      return false;
  }
  return true;
}

/// A finished-looking run folder with `steps` step lines and an epoch line every 500 steps,
/// as `yolo-cli train` writes them (2 scales).
void writeHistory(const QString& runDir, int steps) {
  QDir().mkpath(runDir);
  QFile file(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")));
  if (!file.open(QIODevice::WriteOnly)) throw std::runtime_error("cannot write history");
  std::string lines;
  char buf[512];
  for (int s = 1; s <= steps; ++s) {
    const double loss = 20.0 / (1 + s * 0.01) + 0.5;
    std::snprintf(buf, sizeof buf,
                  "{\"type\":\"step\",\"step\":%d,\"epoch\":%d,\"lr\":%.6g,\"total_loss\":%.6g,"
                  "\"giou_loss\":%.6g,\"conf_loss\":%.6g,\"prob_loss\":%.6g,"
                  "\"giou_loss_s0\":%.6g,\"giou_loss_s1\":%.6g,\"conf_loss_s0\":%.6g,"
                  "\"conf_loss_s1\":%.6g,\"prob_loss_s0\":%.6g,\"prob_loss_s1\":%.6g,"
                  "\"images_per_s\":40,\"eta_s\":100}\n",
                  s, s / 500, 1e-3, loss, loss * 0.3, loss * 0.5, loss * 0.2, loss * 0.15,
                  loss * 0.15, loss * 0.25, loss * 0.25, loss * 0.1, loss * 0.1);
    lines += buf;
    if (s % 500 == 0) {
      std::snprintf(buf, sizeof buf,
                    "{\"type\":\"epoch\",\"epoch\":%d,\"step\":%d,\"val_total_loss\":%.6g,"
                    "\"map50\":%.4f,\"seconds\":12}\n",
                    s / 500, s, loss * 1.1, std::min(0.95, s / 20000.0));
      lines += buf;
    }
  }
  file.write(lines.data(), static_cast<qint64>(lines.size()));
}

void printFigures(const char* phase, const LagProbe::Figures& f, double seconds) {
  std::printf("%-9s %7zu %9.2f %9.2f %9.2f %9.1f\n", phase, f.ticks, f.p50, f.p99, f.max, seconds);
}

}  // namespace

int main(int argc, char** argv) {
  yolo::ensurePassiveOpenMpWaiting(argv);  // as yolo-workbench runs
  if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  Options o;
  if (!parse(argc, argv, o)) {
    usage();
    return 2;
  }
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("yolo-workbench-bench"));
  QCoreApplication::setApplicationName(QStringLiteral("bench_gui_lag"));

  QTemporaryDir dir;
  const QString data = dir.filePath(QStringLiteral("data"));
  try {
    const auto digits = yolo::data::findDefaultDigits();
    if (!digits) {
      std::fprintf(stderr,
                   "no MNIST digits found: fetch them (./quickstart) or set YOLO_DIGITS_DIR\n");
      return 2;
    }
    yolo::data::GeneratorConfig g;
    g.canvasWidth = g.canvasHeight = o.inputSize;
    g.small = {1, 2, {0.8f, 1.f}};  // sizes that fit a small canvas
    g.medium = {1, 3, {1.f, 1.5f}};
    g.big = {0, 1, {2.f}};
    g.trainImages = o.trainImages;
    g.testImages = 8;
    g.seed = 1;
    yolo::data::generateDataset(g, yolo::data::loadDigitsFolder(*digits), data.toStdString());
    if (o.history > 0) writeHistory(dir.filePath(QStringLiteral("runs/history")), o.history);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_gui_lag: %s\n", e.what());
    return 2;
  }

  yolo::ui::MainWindow window;
  window.resize(1280, 820);
  window.show();
  window.showView(yolo::ui::MainWindow::kTrain);
  yolo::ui::TrainView* train = window.trainView();

  // Opens the overlaid run; returns the milliseconds the GUI thread was held. The follower
  // reads the file a chunk per event-loop turn, so the rest of it loads (and is drawn) while
  // the idle phase below is measured: its lag figures include that loading.
  const auto openHistory = [&] {
    QElapsedTimer t;
    t.start();
    if (o.history > 0) train->openRunFolder(dir.filePath(QStringLiteral("runs/history")));
    for (auto* panel : {train->plots()->lossPanel(), train->plots()->lrPanel()}) panel->redrawNow();
    QCoreApplication::processEvents();
    return t.nsecsElapsed() / 1e6;
  };
  openHistory();

  long long steps = 0;
  LagProbe probe(&steps);
  probe.start();
  runFor(o.idleSeconds);
  probe.stop();
  const auto idle = probe.figures();

  yolo::run::RunConfig c = yolo::run::preset("cpu-fast");
  yolo::run::useDataFolder(c, data.toStdString());
  c.model.architecture = "yolov3-tiny";
  c.model.anchors = yolo::model::defaultAnchors("yolov3-tiny");
  c.model.inputSize = o.inputSize;
  c.batchSize = o.batch;
  c.epochs = 1000;  // stopped by the bench
  c.device = "cpu";
  c.threads = o.threads;
  c.dataWorkers = o.workers;
  c.evalEveryEpochs = 1;  // validation and mAP lines reach the plots and the log too
  train->form()->setConfig(c);
  train->form()->setRunsRoot(dir.filePath(QStringLiteral("runs")));

  // The Evaluate view follows the live run's kept evaluations: each one shown is counted.
  int evaluationsShown = 0;
  QObject::connect(window.evaluationView(), &yolo::ui::EvaluationView::statusMessage,
                   [&](const QString& text) {
                     if (text.contains(QStringLiteral("after epoch"))) ++evaluationsShown;
                   });

  QElapsedTimer firstStep;
  QObject::connect(train->session(), &yolo::ui::TrainingSession::step,
                   [&](const yolo::ui::StepRecord&) {
                     if (steps++ == 0) firstStep.start();
                   });
  if (!train->startTraining()) {
    std::fprintf(stderr, "bench_gui_lag: the run did not start: %s\n",
                 qPrintable(train->problemText()));
    return 2;
  }
  // A new live run clears the plots; the overlay is opened again over it. Measured from
  // here: data loading and model building on the worker overlap the measurement.
  const double historyMs = openHistory();
  probe.start();
  runFor(o.seconds);
  probe.stop();
  const auto training = probe.figures();
  const double trainingSeconds = firstStep.isValid() ? firstStep.nsecsElapsed() / 1e9 : 0;

  train->stopTraining();
  QElapsedTimer stopTimer;
  stopTimer.start();
  while (train->session()->isActive() && stopTimer.elapsed() < 120000) runFor(0.1);

  std::printf("GUI-thread lag of a 10 ms timer, ms (MainWindow offscreen, Train view shown)\n");
  std::printf(
      "training: yolov3-tiny %d px, batch %d, %d torch thread(s), %d loader(s), %d images\n",
      o.inputSize, o.batch, o.threads, o.workers, o.trainImages);
  std::printf(
      "overlaid run: %d steps in metrics.jsonl; opening it held the GUI thread %.0f ms (the rest "
      "loads a chunk per event-loop turn)\n",
      o.history, historyMs);
  std::printf("%-9s %7s %9s %9s %9s %9s\n", "phase", "ticks", "p50", "p99", "max", "seconds");
  printFigures("idle", idle, o.idleSeconds);
  printFigures("training", training, o.seconds);
  std::printf("steps trained: %lld (%.2f steps/s after the first); loss points plotted: %d\n",
              static_cast<long long>(steps),
              trainingSeconds > 0 && steps > 1 ? (steps - 1) / trainingSeconds : 0.0,
              train->plots()->lossPanel()->pointCount(0));
  std::printf("mAP evaluations kept and shown in the Evaluate view while measured: %d\n",
              evaluationsShown);
  for (const auto& spike : probe.spikes()) {
    std::printf("tick late by %.1f ms at %.2f s, after %lld step(s) reached the GUI\n", spike.lagMs,
                spike.atSeconds, spike.steps);
  }
  std::printf("p99 while training: %.2f ms (goal: under 50 ms); ratio to idle p99: %.2f\n",
              training.p99, idle.p99 > 0 ? training.p99 / idle.p99 : 0.0);
  return 0;
}
