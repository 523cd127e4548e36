#include "ui/train/training_session.h"

#include <QThread>

#include "ui/train/training_worker.h"

namespace yolo::ui {

TrainingSession::TrainingSession(QObject* parent) : QObject(parent) {
  thread_ = new QThread(this);
  thread_->setObjectName(QStringLiteral("training"));
  worker_ = new TrainingWorker;  // no parent: it moves to the thread
  worker_->moveToThread(thread_);
  connect(thread_, &QThread::finished, worker_, &QObject::deleteLater);

  connect(this, &TrainingSession::startNewRequested, worker_, &TrainingWorker::startNew,
          Qt::QueuedConnection);
  connect(this, &TrainingSession::startResumeRequested, worker_, &TrainingWorker::startResume,
          Qt::QueuedConnection);

  connect(worker_, &TrainingWorker::started, this,
          [this](const QString& dir, const run::RunConfig& config) {
            runDir_ = dir;
            if (state_ == State::Starting) setState(State::Running);
            Q_EMIT started(dir, config);
          });
  connect(worker_, &TrainingWorker::step, this, &TrainingSession::step);
  connect(worker_, &TrainingWorker::epoch, this, &TrainingSession::epoch);
  connect(worker_, &TrainingWorker::event, this, [this](const EventRecord& e) {
    // The trainer pauses itself after NaNs it could not cure; follow what it says.
    if (e.event == QLatin1String("paused") && state_ == State::Running) setState(State::Paused);
    if (e.event == QLatin1String("resumed") && state_ == State::Paused) setState(State::Running);
    Q_EMIT event(e);
  });
  connect(worker_, &TrainingWorker::finished, this, [this] {
    setState(State::Idle);
    Q_EMIT finished();
  });
  connect(worker_, &TrainingWorker::failed, this, [this](const QString& message) {
    setState(State::Idle);
    Q_EMIT failed(message);
  });
  connect(worker_, &TrainingWorker::stopped, this, [this] {
    setState(State::Idle);
    Q_EMIT stopped();
  });
  thread_->start();
}

TrainingSession::~TrainingSession() {
  worker_->requestResume();
  worker_->requestStop();
  thread_->quit();
  thread_->wait();
}

bool TrainingSession::start(const run::RunConfig& config, const QString& runDir) {
  if (isActive()) return false;
  runDir_ = runDir;
  setState(State::Starting);
  Q_EMIT startNewRequested(config, runDir);
  return true;
}

bool TrainingSession::resumeRun(const QString& runDir) {
  if (isActive()) return false;
  runDir_ = runDir;
  setState(State::Starting);
  Q_EMIT startResumeRequested(runDir);
  return true;
}

void TrainingSession::pause() {
  if (state_ != State::Running && state_ != State::Starting) return;
  worker_->requestPause();
  setState(State::Paused);
}

void TrainingSession::resume() {
  if (state_ != State::Paused) return;
  worker_->requestResume();
  setState(State::Running);
}

void TrainingSession::stop() {
  if (!isActive() || state_ == State::Stopping) return;
  worker_->requestStop();
  worker_->requestResume();  // a paused loop must wake up to see the stop
  setState(State::Stopping);
}

void TrainingSession::setState(State state) {
  if (state == state_) return;
  state_ = state;
  Q_EMIT stateChanged(state);
}

}  // namespace yolo::ui
