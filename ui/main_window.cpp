#include "ui/main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QFileInfo>
#include <QImageReader>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>
#include <QUrl>

#include "core/version.h"
#include "ui/data/data_view.h"
#include "ui/detect/detect_view.h"
#include "ui/eval/evaluation_view.h"
#include "ui/train/run_config_form.h"
#include "ui/train/train_view.h"

namespace yolo::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
  setWindowTitle(tr("YOLO Workbench"));
  setObjectName(QStringLiteral("mainWindow"));
  views_ = new QTabWidget(this);
  views_->setObjectName(QStringLiteral("views"));
  views_->setDocumentMode(true);
  data_ = new DataView(views_);
  train_ = new TrainView(views_);
  detect_ = new DetectView(views_);
  evaluate_ = new EvaluationView(views_);
  views_->addTab(data_, tr("&Data"));
  views_->addTab(train_, tr("&Train"));
  views_->addTab(detect_, tr("D&etect"));
  views_->addTab(evaluate_, tr("E&valuate"));
  views_->setTabToolTip(kData, tr("Make or open a dataset, browse it (Ctrl+1)"));
  views_->setTabToolTip(kTrain, tr("Train a detector and watch it learn (Ctrl+2)"));
  views_->setTabToolTip(kDetect, tr("Detect digits in images (Ctrl+3)"));
  views_->setTabToolTip(kEvaluate,
                        tr("Score a model on a dataset and see what it gets wrong (Ctrl+4)"));
  setCentralWidget(views_);

  running_ = new QLabel(tr("Idle"), this);
  running_->setObjectName(QStringLiteral("runningIndicator"));
  statusBar()->addPermanentWidget(running_);
  statusBar()->showMessage(tr("Ready"), 3000);

  auto showMessage = [this](const QString& text) { statusBar()->showMessage(text, 8000); };
  connect(data_, &DataView::statusMessage, this, showMessage);
  connect(detect_, &DetectView::statusMessage, this, showMessage);
  connect(evaluate_, &EvaluationView::statusMessage, this, showMessage);
  connect(train_, &TrainView::statusMessage, this, [this, showMessage](const QString& text) {
    showMessage(text);
    running_->setText(train_->session()->isActive() ? text : tr("Idle"));
  });
  connect(data_, &DataView::busyChanged, this, [this](bool busy) {
    if (!train_->session()->isActive())
      running_->setText(busy ? tr("Generating data") : tr("Idle"));
  });
  connect(data_, &DataView::datasetFolderReady, train_, &TrainView::setDataFolder);
  connect(data_, &DataView::anchorsChosen, this,
          [this, showMessage](const QString& architecture, const QString& anchors) {
            train_->form()->useAnchors(architecture, anchors);
            showMessage(tr("The next run trains %1 with anchors fitted to the data: %2")
                            .arg(architecture, anchors));
          });
  connect(train_, &TrainView::currentRunDirChanged, detect_, &DetectView::setCurrentRunDir);
  connect(train_, &TrainView::currentRunDirChanged, evaluate_, &EvaluationView::offerModel);
  connect(data_, &DataView::datasetFolderReady, evaluate_, &EvaluationView::offerData);
  // The evaluations the trainer keeps: the latest shown as they come, any epoch a click on
  // the mAP plot away.
  connect(train_, &TrainView::currentRunDirChanged, evaluate_, &EvaluationView::followRun);
  connect(train_, &TrainView::mapEvaluated, evaluate_, &EvaluationView::runEvaluated);
  connect(train_, &TrainView::evaluationChosen, this, [this](const QString& runDir, int epoch) {
    evaluate_->showRunEvaluation(runDir, epoch);
    showView(kEvaluate);
  });
  connect(evaluate_, &EvaluationView::openInDetectView, this,
          [this](const QString& image, const QString& model) {
            if (QFileInfo(detect_->loadedModel()).canonicalFilePath() !=
                QFileInfo(model).canonicalFilePath())
              detect_->loadModel(model);
            detect_->openImages({image});
            showView(kDetect);
          });
  connect(train_, &TrainView::runEnded, this, [this] {
    running_->setText(tr("Idle"));
    if (closeWhenStopped_) QTimer::singleShot(0, this, &QWidget::close);
  });

  // What a user set is kept when it is set, not only at a clean close: a workbench ended
  // by a logout, a kill or --screenshot still opens next time with the data folder, the
  // run and the model it had.
  connect(data_, &DataView::datasetFolderReady, this, &MainWindow::writeSettings);
  connect(train_, &TrainView::currentRunDirChanged, this, &MainWindow::writeSettings);
  connect(detect_, &DetectView::modelChanged, this, &MainWindow::writeSettings);
  // Form edits arrive per keystroke: written once typing pauses.
  settingsSaver_ = new QTimer(this);
  settingsSaver_->setSingleShot(true);
  settingsSaver_->setInterval(1000);
  connect(settingsSaver_, &QTimer::timeout, this, &MainWindow::writeSettings);
  connect(train_->form(), &RunConfigForm::changed, settingsSaver_, qOverload<>(&QTimer::start));
  connect(qApp, &QCoreApplication::aboutToQuit, this, &MainWindow::writeSettings);

  buildMenus();
  setAcceptDrops(true);
  // Children that take drops themselves (text fields) would swallow dropped images.
  qApp->installEventFilter(this);
  resize(1280, 820);
  readSettings();
}

MainWindow::~MainWindow() { qApp->removeEventFilter(this); }

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* openImage = file->addAction(tr("&Open Image…"), detect_, [this] {
    showView(kDetect);
    detect_->chooseImages();
  });
  openImage->setShortcut(QKeySequence::Open);
  QAction* openData = file->addAction(tr("Open &Dataset…"), data_, [this] {
    showView(kData);
    data_->chooseDataset();
  });
  openData->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  // The Data view's Generate button, from anywhere (as Ctrl+R starts training).
  QAction* generate = file->addAction(tr("&Generate Data"), data_, [this] {
    showView(kData);
    data_->generate();
  });
  generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
  file->addAction(tr("Open &Run Folder…"), train_, [this] {
    showView(kTrain);
    train_->chooseRunToOpen();
  });
  QAction* paste = file->addAction(tr("&Paste Image"), detect_, [this] {
    showView(kDetect);
    if (!detect_->pasteFromClipboard())
      statusBar()->showMessage(tr("The clipboard holds no image"), 5000);
  });
  paste->setShortcut(QKeySequence::Paste);
  QAction* save =
      file->addAction(tr("&Save Annotated Image…"), detect_, &DetectView::saveAnnotatedInteractive);
  save->setShortcut(QKeySequence::Save);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);
  quit->setMenuRole(QAction::QuitRole);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  const QString names[] = {tr("&Data"), tr("&Train"), tr("D&etect"), tr("E&valuate")};
  for (int i = 0; i < 4; ++i) {
    QAction* a = view->addAction(names[i], this, [this, i] { showView(static_cast<View>(i)); });
    a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
  }

  QMenu* train = menuBar()->addMenu(tr("T&raining"));
  QAction* start = train->addAction(tr("&Start"), train_, [this] {
    showView(kTrain);
    train_->startTraining();
  });
  start->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
  QAction* pause = train->addAction(tr("&Pause"), train_, &TrainView::pauseTraining);
  QAction* resume = train->addAction(tr("Res&ume"), train_, &TrainView::resumeTraining);
  QAction* stop = train->addAction(tr("St&op"), train_, &TrainView::stopTraining);
  stop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
  train->addSeparator();
  QAction* resumeRun = train->addAction(tr("Resume &Run…"), train_, &TrainView::chooseRunToResume);
  // Menu entries follow the same rule as the buttons: enabled only when they make sense.
  auto sync = [=] {
    using State = TrainingSession::State;
    const State s = train_->session()->state();
    start->setEnabled(s == State::Idle);
    resumeRun->setEnabled(s == State::Idle);
    pause->setEnabled(s == State::Running || s == State::Starting);
    resume->setEnabled(s == State::Paused);
    stop->setEnabled(s != State::Idle && s != State::Stopping);
  };
  connect(train_->session(), &TrainingSession::stateChanged, this, sync);
  sync();

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About YOLO Workbench"), this, &MainWindow::about);
  help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::about() {
  QMessageBox::about(this, tr("About YOLO Workbench"),
                     tr("<h3>YOLO Workbench %1</h3><p>Make digit-detection data from MNIST, "
                        "train YOLOv3 and YOLOv3-tiny detectors and watch them learn, then "
                        "drop a picture to see the digits found.</p>")
                         .arg(QString::fromLatin1(kVersion)));
}

void MainWindow::showView(View view) { views_->setCurrentIndex(view); }

QStringList MainWindow::imageFiles(const QMimeData* mime) {
  QStringList files;
  if (!mime || !mime->hasUrls()) return files;
  const QList<QByteArray> formats = QImageReader::supportedImageFormats();
  for (const QUrl& url : mime->urls()) {
    if (!url.isLocalFile()) continue;
    const QString path = url.toLocalFile();
    const QByteArray suffix = QFileInfo(path).suffix().toLower().toLatin1();
    // A folder opens the images in it (ImageList::openImages).
    if (formats.contains(suffix) || suffix == "jpeg" || suffix == "jpg" || QFileInfo(path).isDir())
      files << path;
  }
  return files;
}

bool MainWindow::handleDrop(const QMimeData* mime) {
  const QStringList files = imageFiles(mime);
  if (files.isEmpty()) return false;
  showView(kDetect);
  const int added = detect_->openImages(files);
  statusBar()->showMessage(tr("Opened %n image(s)", nullptr, added), 5000);
  return added > 0;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (!imageFiles(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent* event) {
  if (!imageFiles(event->mimeData()).isEmpty()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  if (handleDrop(event->mimeData())) event->acceptProposedAction();
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event) {
  const QEvent::Type type = event->type();
  if (type == QEvent::DragEnter || type == QEvent::DragMove || type == QEvent::Drop) {
    auto* widget = qobject_cast<QWidget*>(watched);
    if (widget && widget != this && widget->window() == this) {
      auto* drop = static_cast<QDropEvent*>(event);
      if (!imageFiles(drop->mimeData()).isEmpty()) {
        if (type == QEvent::Drop) handleDrop(drop->mimeData());
        drop->acceptProposedAction();
        return true;
      }
    }
  }
  return QMainWindow::eventFilter(watched, event);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  writeSettings();
  data_->cancelWork();
  if (train_->session()->isActive()) {
    // Never block the GUI: ask the run to stop (the trainer saves last.pt after the
    // current batch) and close when it reports back.
    closeWhenStopped_ = true;
    train_->stopTraining();
    statusBar()->showMessage(tr("Stopping training and saving last.pt before closing…"));
    event->ignore();
    return;
  }
  event->accept();
}

void MainWindow::readSettings() {
  QSettings s;
  restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
  restoreState(s.value(QStringLiteral("window/state")).toByteArray());
  views_->setCurrentIndex(s.value(QStringLiteral("window/view"), kData).toInt());
  data_->restoreSettings(s);
  train_->restoreSettings(s);
  detect_->restoreSettings(s);
  detect_->setCurrentRunDir(train_->currentRunDir());
  evaluate_->restoreSettings(s);
  evaluate_->offerModel(train_->currentRunDir());
  evaluate_->followRun(train_->currentRunDir());  // its latest kept evaluation, again
  settingsRestored_ = true;
}

void MainWindow::writeSettings() const {
  // Views emit changes while they restore: writing then would store the views not yet
  // restored as empty.
  if (!settingsRestored_) return;
  QSettings s;
  s.setValue(QStringLiteral("window/geometry"), saveGeometry());
  s.setValue(QStringLiteral("window/state"), saveState());
  s.setValue(QStringLiteral("window/view"), views_->currentIndex());
  data_->saveSettings(s);
  train_->saveSettings(s);
  detect_->saveSettings(s);
  evaluate_->saveSettings(s);
}

}  // namespace yolo::ui
