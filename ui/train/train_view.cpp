#include "ui/train/train_view.h"

#include <QAction>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

#include "core/run/schedule_change.h"
#include "core/train/lr_schedule.h"
#include "core/train/run_adjustment.h"
#include "core/util/format_duration.h"
#include "ui/plots/plot_panel.h"
#include "ui/plots/training_plots.h"
#include "ui/train/followed_run.h"
#include "ui/train/form_plan_preview.h"
#include "ui/train/metrics_follower.h"
#include "ui/train/plan_editor.h"
#include "ui/train/plotted_runs.h"
#include "ui/train/run_config_form.h"

namespace yolo::ui {

TrainView::TrainView(QWidget* parent) : QWidget(parent) {
  session_ = new TrainingSession(this);
  buildUi();
  connect(runs_, &PlottedRuns::changed, this, &TrainView::refreshRunList);

  connect(session_, &TrainingSession::stateChanged, this, &TrainView::updateButtons);
  connect(session_, &TrainingSession::started, this,
          [this](const QString& dir, const run::RunConfig& config) {
            liveConfig_ = config;
            currentRunDir_ = dir;
            planEditor_->setPlan(config);
            plots_->clearPlanPreview();
            appendLog(tr("Run folder: %1").arg(QDir::toNativeSeparators(dir)));
            Q_EMIT currentRunDirChanged(dir);
          });
  connect(planEditor_, &PlanEditor::edited, this, &TrainView::previewPlanChange);
  connect(planEditor_, &PlanEditor::applyRequested, this, &TrainView::applyPlanChange);
  formPlan_ = new FormPlanPreview(this);
  formPlanTimer_ = new QTimer(this);
  formPlanTimer_->setSingleShot(true);
  formPlanTimer_->setInterval(300);
  connect(form_, &RunConfigForm::changed, this, &TrainView::planFormSoon);
  connect(formPlanTimer_, &QTimer::timeout, this, [this] {
    if (!session_->isActive()) formPlan_->plan(form_->config());
  });
  connect(formPlan_, &FormPlanPreview::ready, this,
          [this](const train::LrSchedule& schedule, qint64 stepsPerEpoch, qint64 images) {
            if (session_->isActive()) return;
            plots_->setPlanPreview(schedule, tr("plan: %1 steps (%2 images, %3 an epoch)")
                                                 .arg(schedule.totalSteps)
                                                 .arg(images)
                                                 .arg(stepsPerEpoch));
          });
  connect(formPlan_, &FormPlanPreview::unavailable, this, [this] {
    if (!session_->isActive()) plots_->clearPlanPreview();
  });
  planFormSoon();
  connect(plots_, &TrainingPlots::mapPointClicked, this, [this](int plotRun, int epoch) {
    QString runDir;
    if (plotRun == runs_->liveRun()) runDir = currentRunDir_;
    for (const FollowedRun* run : runs_->followed())
      if (run->plotRun() == plotRun) runDir = run->runDir();
    if (!runDir.isEmpty()) Q_EMIT evaluationChosen(runDir, epoch);
  });
  connect(session_, &TrainingSession::step, this, &TrainView::onStep);
  connect(session_, &TrainingSession::epoch, this, &TrainView::onEpoch);
  connect(session_, &TrainingSession::event, this, &TrainView::onEvent);
  connect(session_, &TrainingSession::finished, this, [this] {
    appendLog(tr("Training finished."), QStringLiteral("finished"));
    progress_->setValue(progress_->maximum());
    Q_EMIT statusMessage(tr("Training finished"));
    Q_EMIT runEnded();
  });
  connect(session_, &TrainingSession::stopped, this, [this] {
    appendLog(tr("Training stopped; last.pt saved — Resume run… continues it."),
              QStringLiteral("stopped"));
    Q_EMIT statusMessage(tr("Training stopped"));
    Q_EMIT runEnded();
  });
  connect(session_, &TrainingSession::failed, this, [this](const QString& message) {
    appendLog(tr("Training failed: %1").arg(message), QStringLiteral("failed"));
    Q_EMIT statusMessage(tr("Training failed"));
    Q_EMIT runEnded();
  });
  updateButtons();
}

void TrainView::buildUi() {
  form_ = new RunConfigForm;
  form_->setObjectName(QStringLiteral("runConfigForm"));

  start_ = new QPushButton(tr("&Start"));
  start_->setObjectName(QStringLiteral("start"));
  start_->setToolTip(tr("Validate the settings and start a new run (Ctrl+R)"));
  pause_ = new QPushButton(tr("&Pause"));
  pause_->setObjectName(QStringLiteral("pause"));
  resume_ = new QPushButton(tr("Res&ume"));
  resume_->setObjectName(QStringLiteral("resume"));
  stop_ = new QPushButton(tr("St&op"));
  stop_->setObjectName(QStringLiteral("stop"));
  stop_->setToolTip(tr("Stop after the current batch and save last.pt"));
  resumeRun_ = new QPushButton(tr("Resume run…"));
  resumeRun_->setObjectName(QStringLiteral("resumeRun"));
  resumeRun_->setToolTip(tr("Continue a previous run from its last checkpoint"));
  openRun_ = new QPushButton(tr("Open run…"));
  openRun_->setObjectName(QStringLiteral("openRun"));
  openRun_->setToolTip(
      tr("Draw a run folder's curves over these, following it while it is written"));
  clearPlots_ = new QPushButton(tr("Clear plots"));
  connect(start_, &QPushButton::clicked, this, &TrainView::startTraining);
  connect(pause_, &QPushButton::clicked, this, &TrainView::pauseTraining);
  connect(resume_, &QPushButton::clicked, this, &TrainView::resumeTraining);
  connect(stop_, &QPushButton::clicked, this, &TrainView::stopTraining);
  connect(resumeRun_, &QPushButton::clicked, this, &TrainView::chooseRunToResume);
  connect(openRun_, &QPushButton::clicked, this, &TrainView::chooseRunToOpen);
  connect(clearPlots_, &QPushButton::clicked, this, &TrainView::clearPlots);

  auto* controls = new QWidget;
  auto* controlsLayout = new QVBoxLayout(controls);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(form_);
  controlsLayout->addWidget(scroll, 1);
  problem_ = new QLabel;
  problem_->setObjectName(QStringLiteral("validationMessage"));
  problem_->setWordWrap(true);
  problem_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  problem_->setStyleSheet(
      QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; "
                     "border: 1px solid #fca5a5; padding: 4px; }"));
  problem_->hide();
  controlsLayout->addWidget(problem_);
  auto* runButtons = new QHBoxLayout;
  for (auto* b : {start_, pause_, resume_, stop_}) runButtons->addWidget(b);
  controlsLayout->addLayout(runButtons);
  planEditor_ = new PlanEditor;
  planEditor_->hide();
  controlsLayout->addWidget(planEditor_);
  auto* folderButtons = new QHBoxLayout;
  for (auto* b : {resumeRun_, openRun_, clearPlots_}) folderButtons->addWidget(b);
  controlsLayout->addLayout(folderButtons);
  runList_ = new QListWidget;
  runList_->setObjectName(QStringLiteral("plottedRuns"));
  runList_->setToolTip(tr("Runs drawn on the plots; select one and press Remove (or Delete)"));
  runList_->setMaximumHeight(runList_->fontMetrics().height() * 5);
  runList_->setContextMenuPolicy(Qt::ActionsContextMenu);
  removeRun_ = new QPushButton(tr("Remove from plots"));
  removeRun_->setObjectName(QStringLiteral("removeRun"));
  removeRun_->setToolTip(tr("Take the selected run's curves off the plots"));
  removeRun_->setEnabled(false);
  connect(removeRun_, &QPushButton::clicked, this, &TrainView::removeSelectedRun);
  auto* removeAction = new QAction(tr("Remove from plots"), runList_);
  removeAction->setShortcut(QKeySequence::Delete);
  removeAction->setShortcutContext(Qt::WidgetShortcut);
  connect(removeAction, &QAction::triggered, this, &TrainView::removeSelectedRun);
  runList_->addAction(removeAction);
  connect(runList_, &QListWidget::currentRowChanged, this,
          [this](int row) { removeRun_->setEnabled(row >= 0); });
  auto* runsRow = new QHBoxLayout;
  runsRow->addWidget(new QLabel(tr("Runs on the plots:")));
  runsRow->addStretch(1);
  runsRow->addWidget(removeRun_);
  controlsLayout->addLayout(runsRow);
  controlsLayout->addWidget(runList_);
  progress_ = new QProgressBar;
  progress_->setObjectName(QStringLiteral("progress"));
  progress_->setRange(0, 1);
  progress_->setValue(0);
  controlsLayout->addWidget(progress_);
  progressText_ = new QLabel(tr("No run yet"));
  progressText_->setObjectName(QStringLiteral("progressText"));
  progressText_->setWordWrap(true);
  controlsLayout->addWidget(progressText_);

  plots_ = new TrainingPlots;
  runs_ = new PlottedRuns(plots_, this);
  log_ = new QPlainTextEdit;
  log_->setObjectName(QStringLiteral("eventLog"));
  log_->setReadOnly(true);
  log_->setMaximumBlockCount(5000);
  log_->setPlaceholderText(tr("Training events appear here"));

  auto* right = new QSplitter(Qt::Vertical);
  right->addWidget(plots_);
  right->addWidget(log_);
  right->setStretchFactor(0, 5);
  right->setStretchFactor(1, 1);

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(controls);
  split->addWidget(right);
  split->setStretchFactor(0, 0);
  split->setStretchFactor(1, 1);
  controls->setMinimumWidth(340);
  split->setSizes({380, 900});

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
}

void TrainView::updateButtons() {
  using State = TrainingSession::State;
  const State s = session_->state();
  start_->setEnabled(s == State::Idle);
  resumeRun_->setEnabled(s == State::Idle);
  pause_->setEnabled(s == State::Running || s == State::Starting);
  resume_->setEnabled(s == State::Paused);
  stop_->setEnabled(s == State::Running || s == State::Paused || s == State::Starting);
  form_->setEnabled(s == State::Idle);
  planEditor_->setVisible(s != State::Idle);
  planEditor_->setEnabled(s == State::Running || s == State::Paused);
  switch (s) {
    case State::Idle:
      planFormSoon();  // the form's plan again, where the run's preview was
      break;
    case State::Starting:
      Q_EMIT statusMessage(tr("Training: loading data and model…"));
      break;
    case State::Running:
      Q_EMIT statusMessage(tr("Training"));
      break;
    case State::Paused:
      Q_EMIT statusMessage(tr("Training paused"));
      break;
    case State::Stopping:
      Q_EMIT statusMessage(tr("Stopping training, saving last.pt…"));
      break;
  }
}

QString TrainView::problemText() const {
  return problem_->isHidden() ? QString() : problem_->text();
}

void TrainView::showProblem(const QString& text) {
  problem_->setText(text);
  problem_->setVisible(!text.isEmpty());
}

void TrainView::appendLog(const QString& text, const QString& kind) {
  const QString time = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm:ss"));
  log_->appendPlainText(kind.isEmpty() ? QStringLiteral("%1  %2").arg(time, text)
                                       : QStringLiteral("%1  [%2] %3").arg(time, kind, text));
}

bool TrainView::startTraining() {
  if (session_->isActive()) return false;
  const run::RunConfig config = form_->config();
  const std::vector<std::string> problems = run::validate(config);
  if (!problems.empty()) {
    QStringList lines;
    for (const std::string& p : problems) lines << QString::fromStdString(p);
    appendLog(tr("Cannot start: %1").arg(lines.join(QStringLiteral("; "))),
              QStringLiteral("invalid"));
    showProblem(tr("The run cannot start with these settings:") + QStringLiteral("\n• ") +
                lines.join(QStringLiteral("\n• ")));
    return false;
  }
  QString name = form_->runName();
  if (name.isEmpty()) {
    form_->refreshRunName();
    name = form_->runName();
  }
  const QString runDir = QDir(form_->runsRoot()).filePath(name);
  if (QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("config.json")))) {
    const QString text = tr("%1 already holds a run: choose another run name, or use Resume run… "
                            "to continue it.")
                             .arg(QDir::toNativeSeparators(runDir));
    appendLog(text, QStringLiteral("invalid"));
    showProblem(text);
    return false;
  }
  showProblem(QString());
  beginLiveRun(runDir, /*loadHistory=*/false);
  liveConfig_ = config;
  appendLog(tr("Starting %1 (%2, %3 px, %4 epochs)")
                .arg(name, QString::fromStdString(config.model.architecture))
                .arg(config.model.inputSize)
                .arg(config.epochs),
            QStringLiteral("start"));
  session_->start(config, runDir);
  form_->refreshRunName();
  return true;
}

bool TrainView::resumeRunFolder(const QString& runDir) {
  if (session_->isActive()) return false;
  try {
    liveConfig_ =
        run::loadRunConfig(QDir(runDir).filePath(QStringLiteral("config.json")).toStdString());
  } catch (const std::exception& e) {
    const QString text = tr("Cannot resume %1: %2").arg(runDir, QString::fromStdString(e.what()));
    appendLog(text, QStringLiteral("failed"));
    showProblem(text);
    return false;
  }
  showProblem(QString());
  beginLiveRun(runDir, /*loadHistory=*/true);
  appendLog(tr("Resuming %1").arg(QDir::toNativeSeparators(runDir)), QStringLiteral("resume"));
  session_->resumeRun(runDir);
  return true;
}

void TrainView::beginLiveRun(const QString& runDir, bool loadHistory) {
  // A new live run gets clean plots: runs opened before are taken off (Open run… draws
  // them again over it).
  runs_->beginLive(QFileInfo(runDir).fileName());
  scheduleDrawn_ = false;
  stepsPerEpoch_ = 0;  // known again from the run's first step
  currentRunDir_ = runDir;
  progress_->setRange(0, 1);
  progress_->setValue(0);
  progressText_->setText(tr("Starting…"));
  if (loadHistory) {
    // The curves so far come from the file; the trainer then drops lines past its checkpoint
    // and the plots replace those points as the new steps arrive.
    MetricsFollower history;
    connect(&history, &MetricsFollower::step, this,
            [this](const StepRecord& r) { plots_->addStep(runs_->liveRun(), r); });
    connect(&history, &MetricsFollower::epoch, this,
            [this](const EpochRecord& r) { plots_->addEpoch(runs_->liveRun(), r); });
    history.follow(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")));
    history.readToEnd();  // before the resumed trainer's first step arrives
    history.stop();
  }
  Q_EMIT currentRunDirChanged(runDir);
}

void TrainView::pauseTraining() {
  session_->pause();
  appendLog(tr("Pause requested"), QStringLiteral("pause"));
}

void TrainView::resumeTraining() { session_->resume(); }

void TrainView::stopTraining() {
  if (!session_->isActive()) return;
  appendLog(tr("Stop requested: finishing the current batch and saving last.pt"),
            QStringLiteral("stop"));
  session_->stop();
}

void TrainView::onStep(const StepRecord& r) {
  const int liveRun = runs_->liveRun();
  if (liveRun >= 0) {  // -1: its curves were removed from the plots
    plots_->addStep(liveRun, r);
    plots_->setCurrentStep(static_cast<double>(r.step));
    if (!scheduleDrawn_ && r.stepsPerEpoch > 0) {
      plots_->setSchedule(liveRun, train::scheduleFor(liveConfig_, r.stepsPerEpoch));
      scheduleDrawn_ = true;
    }
  }
  stepsPerEpoch_ = r.stepsPerEpoch;
  if (r.totalSteps > 0) {
    // QProgressBar is int-based; steps fit comfortably.
    progress_->setRange(0, static_cast<int>(r.totalSteps));
    progress_->setValue(static_cast<int>(r.step));
  }
  const int epochs = liveConfig_.epochs;
  progressText_->setText(tr("Epoch %1/%2 · step %3/%4 · ETA %5 · %6 img/s · loss %7")
                             .arg(r.epoch)
                             .arg(epochs)
                             .arg(r.step)
                             .arg(r.totalSteps)
                             .arg(QString::fromStdString(formatDuration(r.etaSeconds)))
                             .arg(r.imagesPerSecond, 0, 'f', 1)
                             .arg(r.total, 0, 'g', 4));
}

void TrainView::onEpoch(const EpochRecord& r) {
  if (runs_->liveRun() >= 0) plots_->addEpoch(runs_->liveRun(), r);
  QString text =
      tr("Epoch %1 done in %2").arg(r.epoch).arg(QString::fromStdString(formatDuration(r.seconds)));
  if (r.hasValidation()) text += tr(", val loss %1").arg(r.valTotal, 0, 'g', 4);
  if (r.hasMap()) {
    Q_EMIT mapEvaluated(currentRunDir_, r.epoch);
    text += tr(", mAP@0.5 %1").arg(r.map50, 0, 'f', 3);
    showProblem(QString());  // an earlier map_failed no longer holds
  }
  appendLog(text, QStringLiteral("epoch"));
}

void TrainView::onEvent(const EventRecord& e) {
  appendLog(e.message.isEmpty() ? e.event : e.message, e.event);
  // map_failed: the run goes on, but its mAP (and so best.pt) stopped following.
  // write_failed: the run waits, paused, for space on the disk (Resume tries again).
  if (e.event == QLatin1String("map_failed") || e.event == QLatin1String("write_failed")) {
    showProblem(e.message);
    problemEvent_ = e.event;
  } else if (e.event == QLatin1String("checkpoint") &&
             problemEvent_ == QLatin1String("write_failed")) {
    showProblem(QString());  // written after all
  } else if (e.event == QLatin1String("schedule_adjusted")) {
    onPlanChanged();
  } else if (e.event == QLatin1String("adjust_refused")) {
    showProblem(tr("The run kept its plan: %1").arg(e.message));
    problemEvent_ = e.event;
  }
}

void TrainView::planFormSoon() {
  if (!session_->isActive()) formPlanTimer_->start();
}

void TrainView::previewPlanChange() {
  const run::ScheduleChange change = planEditor_->change();
  if (change.empty() || stepsPerEpoch_ <= 0) {
    plots_->clearPlanPreview();
    return;
  }
  const run::RunConfig changed = run::withScheduleChange(liveConfig_, change);
  const train::LrSchedule schedule = train::scheduleFor(changed, stepsPerEpoch_);
  plots_->setPlanPreview(schedule, tr("new plan: %1 steps").arg(schedule.totalSteps));
}

void TrainView::applyPlanChange() {
  const run::ScheduleChange change = planEditor_->change();
  if (change.empty() || currentRunDir_.isEmpty()) return;
  const QString what = QString::fromStdString(
      run::describeScheduleChange(liveConfig_, run::withScheduleChange(liveConfig_, change)));
  try {
    train::adjustRun(currentRunDir_.toStdString(), change);
    appendLog(tr("Plan change asked (%1): the run takes it before its next step").arg(what),
              QStringLiteral("plan"));
  } catch (const std::exception& e) {
    showProblem(tr("The plan cannot change: %1").arg(QString::fromStdString(e.what())));
    problemEvent_ = QStringLiteral("adjust_refused");
  }
}

void TrainView::onPlanChanged() {
  try {
    liveConfig_ = run::loadRunConfig(
        QDir(currentRunDir_).filePath(QStringLiteral("config.json")).toStdString());
  } catch (const std::exception& e) {
    appendLog(tr("Cannot read the changed plan: %1").arg(QString::fromStdString(e.what())),
              QStringLiteral("failed"));
    return;
  }
  planEditor_->setPlan(liveConfig_);
  plots_->clearPlanPreview();
  if (problemEvent_ == QLatin1String("adjust_refused")) showProblem(QString());
  if (runs_->liveRun() >= 0 && stepsPerEpoch_ > 0)
    plots_->setSchedule(runs_->liveRun(), train::scheduleFor(liveConfig_, stepsPerEpoch_));
}

void TrainView::chooseRunToResume() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Resume a run"), form_->runsRoot());
  if (!dir.isEmpty()) resumeRunFolder(dir);
}

void TrainView::chooseRunToOpen() {
  const QString dir =
      QFileDialog::getExistingDirectory(this, tr("Open a run folder"), form_->runsRoot());
  if (!dir.isEmpty()) openRunFolder(dir);
}

void TrainView::openRunFolder(const QString& runDir) {
  if (!QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("metrics.jsonl"))) &&
      !QFileInfo::exists(QDir(runDir).filePath(QStringLiteral("config.json")))) {
    QMessageBox::warning(
        this, tr("Not a run folder"),
        tr("%1 has neither metrics.jsonl nor config.json.").arg(QDir::toNativeSeparators(runDir)));
    return;
  }
  FollowedRun* run = runs_->follow(runDir);
  connect(run, &FollowedRun::event, this, [this, run](const EventRecord& e) {
    appendLog(QStringLiteral("%1: %2").arg(QFileInfo(run->runDir()).fileName(),
                                           e.message.isEmpty() ? e.event : e.message),
              e.event);
  });
  connect(run, &FollowedRun::stepped, this, [this](qint64 step) {
    // The step marker follows the live run when there is one, else the followed run.
    if (!session_->isActive()) plots_->setCurrentStep(static_cast<double>(step));
  });
  appendLog(tr("Following %1").arg(QDir::toNativeSeparators(runDir)), QStringLiteral("open"));
  run->start();
  if (!session_->isActive()) {
    currentRunDir_ = runDir;
    Q_EMIT currentRunDirChanged(runDir);
  }
}

void TrainView::clearPlots() {
  // The live run stays listed, with empty curves that fill again from its next step.
  runs_->clear(session_->isActive() ? QFileInfo(currentRunDir_).fileName() : QString());
  scheduleDrawn_ = false;
}

void TrainView::removePlottedRun(int plotRun) {
  if (!plots_->hasRun(plotRun)) return;
  appendLog(tr("Removed %1 from the plots").arg(plots_->runLabel(plotRun)),
            QStringLiteral("plots"));
  runs_->remove(plotRun);  // the live run trains on; its points are no longer drawn
}

void TrainView::removeSelectedRun() {
  const QListWidgetItem* item = runList_->currentItem();
  if (item) removePlottedRun(item->data(Qt::UserRole).toInt());
}

void TrainView::refreshRunList() {
  const QSignalBlocker block(runList_);
  runList_->clear();
  for (const PlottedRuns::Entry& run : runs_->entries()) {
    auto* item =
        new QListWidgetItem(run.live ? tr("%1 (this run)").arg(run.label) : run.label, runList_);
    item->setData(Qt::UserRole, run.plotRun);
  }
  runList_->setCurrentRow(-1);
  removeRun_->setEnabled(false);
}

void TrainView::setDataFolder(const QString& folder) { form_->setDataFolder(folder); }

void TrainView::saveSettings(QSettings& s) const {
  s.setValue(QStringLiteral("train/dataFolder"), form_->dataFolder());
  s.setValue(QStringLiteral("train/runsRoot"), form_->runsRoot());
  s.setValue(QStringLiteral("train/lastRunDir"), currentRunDir_);
  s.setValue(QStringLiteral("plots/smoothing"), plots_->lossPanel()->smoothing());
  s.setValue(QStringLiteral("plots/lossLog"), plots_->lossPanel()->logScale());
  s.setValue(QStringLiteral("plots/lrLog"), plots_->lrPanel()->logScale());
  s.setValue(QStringLiteral("plots/perScale"), plots_->perScaleVisible());
}

void TrainView::restoreSettings(const QSettings& s) {
  const QString runsRoot = s.value(QStringLiteral("train/runsRoot")).toString();
  if (!runsRoot.isEmpty()) form_->setRunsRoot(runsRoot);
  const QString data = s.value(QStringLiteral("train/dataFolder")).toString();
  if (!data.isEmpty() && QFileInfo::exists(data)) form_->setDataFolder(data);  // or a file
  currentRunDir_ = s.value(QStringLiteral("train/lastRunDir")).toString();
  plots_->lossPanel()->setSmoothing(s.value(QStringLiteral("plots/smoothing"), 0.6).toDouble());
  plots_->lossPanel()->setLogScale(s.value(QStringLiteral("plots/lossLog"), false).toBool());
  plots_->lrPanel()->setLogScale(s.value(QStringLiteral("plots/lrLog"), false).toBool());
  plots_->setPerScaleVisible(s.value(QStringLiteral("plots/perScale"), false).toBool());
}

}  // namespace yolo::ui
