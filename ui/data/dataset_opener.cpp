#include "ui/data/dataset_opener.h"

#include <QCursor>
#include <QDir>
#include <QFileDialog>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace yolo::ui {

DatasetOpener::DatasetOpener(QWidget* parent) : QGroupBox(tr("Open a dataset"), parent) {
  auto* layout = new QVBoxLayout(this);
  auto addButton = [&](const QString& text, const QString& tip, bool folder,
                       const QString& filter) {
    auto* b = new QPushButton(text);
    b->setToolTip(tip);
    connect(b, &QPushButton::clicked, this, [this, folder, filter, text] {
      const QString path = folder ? QFileDialog::getExistingDirectory(this, text)
                                  : QFileDialog::getOpenFileName(this, text, QString(), filter);
      if (!path.isEmpty()) openDataset(path);
    });
    layout->addWidget(b);
  };
  addButton(tr("Generated data folder…"), tr("A folder with train.txt, test.txt and mnist.names"),
            true, {});
  addButton(tr("Annotation file…"), tr("One image a line: path x1,y1,x2,y2,class …"), false,
            tr("Annotation files (*.txt);;All files (*)"));
  addButton(tr("YOLO, VOC or COCO folder…"),
            tr("Darknet (obj.data) or Ultralytics (data.yaml) YOLO txt, a folder of images with "
               ".txt labels and obj.names, Pascal VOC (Annotations/), COCO (annotations/)"),
            true, {});
  addButton(tr("data.yaml, obj.data or COCO file…"),
            tr("The file that describes a YOLO or COCO dataset"), false,
            tr("Dataset files (*.yaml *.yml *.data *.json);;All files (*)"));
  info_ = new QLabel(tr("No dataset open"));
  info_->setObjectName(QStringLiteral("datasetInfo"));
  info_->setWordWrap(true);
  layout->addWidget(info_);
  connect(&reader_, &QFutureWatcher<LoadedDataset>::finished, this, &DatasetOpener::onRead);
}

DatasetOpener::~DatasetOpener() { reader_.waitForFinished(); }

void DatasetOpener::openDataset(const QString& path) {
  // A read still running for an earlier choice is not waited for: the watcher drops it (its
  // result included) when given the new one, and it ends on its own in the thread pool.
  info_->setText(tr("Reading %1…").arg(QDir::toNativeSeparators(path)));
  reader_.setFuture(QtConcurrent::run(&loadDataset, path));
}

bool DatasetOpener::isOpening() const { return reader_.isRunning(); }

QString DatasetOpener::infoText() const { return info_->text(); }

void DatasetOpener::chooseDataset() {
  QMenu menu(this);
  QAction* folder = menu.addAction(tr("Dataset folder (generated, YOLO, VOC, COCO)…"));
  QAction* file = menu.addAction(tr("Dataset file (annotations, data.yaml, obj.data, COCO)…"));
  QAction* chosen = menu.exec(QCursor::pos());
  QString path;
  if (chosen == folder) {
    path = QFileDialog::getExistingDirectory(this, tr("Open a dataset folder"));
  } else if (chosen == file) {
    path = QFileDialog::getOpenFileName(
        this, tr("Open a dataset file"), QString(),
        tr("Dataset files (*.txt *.yaml *.yml *.data *.json);;All files (*)"));
  }
  if (!path.isEmpty()) openDataset(path);
}

void DatasetOpener::onRead() {
  LoadedDataset loaded = reader_.result();
  if (!loaded.error.isEmpty() && loaded.samples.empty()) {
    info_->setText(tr("Could not open: %1").arg(loaded.error));
    Q_EMIT failed(loaded.error, loaded.issues);
    return;
  }
  auto dataset = std::make_shared<const LoadedDataset>(std::move(loaded));
  info_->setText(tr("%1\n%2 images, %3 classes%4")
                     .arg(QDir::toNativeSeparators(dataset->source))
                     .arg(dataset->size())
                     .arg(dataset->classNames.size())
                     .arg(dataset->issues.isEmpty() ? QString()
                                                    : tr(", %n problem(s) (see Problems)", nullptr,
                                                         dataset->issues.size())));
  Q_EMIT opened(dataset);
}

}  // namespace yolo::ui
