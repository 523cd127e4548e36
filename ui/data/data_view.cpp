#include "ui/data/data_view.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

#include <utility>

#include "ui/data/dataset_browser.h"
#include "ui/data/dataset_export_job.h"
#include "ui/data/dataset_opener.h"
#include "ui/data/dataset_stats_view.h"
#include "ui/data/generator_panel.h"
#include "ui/data/sample_inspector.h"

namespace yolo::ui {

DataView::DataView(QWidget* parent) : QWidget(parent) {
  generator_ = new GeneratorPanel;
  opener_ = new DatasetOpener;
  browser_ = new DatasetBrowser;
  inspector_ = new SampleInspector;

  auto* left = new QWidget;
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->addWidget(generator_);
  leftLayout->addWidget(opener_);
  export_ = new QPushButton(tr("&Export dataset as…"));
  export_->setObjectName(QStringLiteral("exportDataset"));
  export_->setToolTip(
      tr("Write the dataset shown as tutorial, YOLO (Ultralytics), VOC or COCO "
         "files, splits and class names kept"));
  export_->setEnabled(false);
  connect(export_, &QPushButton::clicked, this, &DataView::exportDatasetInteractive);
  leftLayout->addWidget(export_);
  leftLayout->addStretch(1);
  auto* scroll = new QScrollArea;
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setWidget(left);
  scroll->setMinimumWidth(320);

  auto* split = new QSplitter(Qt::Horizontal);
  split->addWidget(scroll);
  split->addWidget(browser_);
  split->addWidget(inspector_);
  split->setStretchFactor(1, 2);
  split->setStretchFactor(2, 3);
  split->setSizes({330, 420, 520});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);

  connect(generator_, &GeneratorPanel::statusMessage, this, &DataView::statusMessage);
  connect(generator_, &GeneratorPanel::busyChanged, this, &DataView::busyChanged);
  // The generated folder is offered to the Train view once opened (showDataset()).
  connect(generator_, &GeneratorPanel::generationFinished, this, &DataView::openDataset);
  connect(opener_, &DatasetOpener::opened, this, &DataView::showDataset);
  connect(opener_, &DatasetOpener::failed, this,
          [this](const QString& message, const QStringList& issues) {
            restoring_ = false;
            inspector_->showProblems(issues);
            Q_EMIT loadFailed(message);
          });
  connect(browser_, &DatasetBrowser::sampleSelected, inspector_, &SampleInspector::showSample);
  connect(inspector_->statistics(), &DatasetStatsView::anchorsChosen, this,
          &DataView::anchorsChosen);

  exporter_ = new DatasetExportJob(this);
  connect(exporter_, &DatasetExportJob::finished, this,
          [this](const QString& outDir, const QString& summary) {
            export_->setEnabled(true);
            Q_EMIT statusMessage(
                tr("Exported %1 to %2").arg(summary, QDir::toNativeSeparators(outDir)));
            Q_EMIT exported(outDir);
          });
  connect(exporter_, &DatasetExportJob::failed, this, [this](const QString& message) {
    export_->setEnabled(true);
    Q_EMIT statusMessage(tr("Export failed: %1").arg(message));
    Q_EMIT exportFailed(message);
  });
}

bool DataView::exportDataset(const QString& format, const QString& outDir) {
  if (!dataset_ || !exporter_->start(dataset_->source, format, outDir)) return false;
  export_->setEnabled(false);
  Q_EMIT statusMessage(tr("Exporting as %1 to %2…").arg(format, QDir::toNativeSeparators(outDir)));
  return true;
}

void DataView::exportDatasetInteractive() {
  if (!dataset_) return;
  bool ok = false;
  const QString format = QInputDialog::getItem(this, tr("Export dataset"), tr("Format:"),
                                               {QStringLiteral("yolo"), QStringLiteral("coco"),
                                                QStringLiteral("voc"), QStringLiteral("tutorial")},
                                               0, false, &ok);
  if (!ok) return;
  const QString outDir = QFileDialog::getExistingDirectory(
      this, tr("Export into an empty or new folder"), QFileInfo(dataset_->source).absolutePath());
  if (outDir.isEmpty()) return;
  if (!QDir(outDir).isEmpty()) {
    QMessageBox::warning(this, tr("Export dataset"),
                         tr("%1 holds files; choose an empty or new folder, so that nothing "
                            "there is overwritten.")
                             .arg(QDir::toNativeSeparators(outDir)));
    return;
  }
  exportDataset(format, outDir);
}

void DataView::openDataset(const QString& path) { opener_->openDataset(path); }

bool DataView::isBusy() const { return generator_->isBusy(); }

bool DataView::isOpening() const { return opener_->isOpening(); }

bool DataView::generate() { return generator_->generate(); }

void DataView::cancelWork() { generator_->cancel(); }

void DataView::chooseDataset() { opener_->chooseDataset(); }

void DataView::showDataset(const std::shared_ptr<const LoadedDataset>& dataset) {
  dataset_ = dataset;
  export_->setEnabled(!exporter_->isRunning());
  inspector_->setDataset(dataset);
  browser_->setDataset(dataset);  // selects the first image, which the inspector shows
  // Offered to the Train view when the user opened (or made) a whole dataset: not a lone
  // annotation file (test.txt would become the training set), not last session's dataset
  // reopened at start (the Train view restores its own).
  const bool wholeDataset =
      dataset->kind != QLatin1String("tutorial") || QFileInfo(dataset->source).isDir();
  if (wholeDataset && !std::exchange(restoring_, false)) Q_EMIT datasetFolderReady(dataset->source);
  Q_EMIT statusMessage(tr("Opened %n image(s)", nullptr, dataset->size()));
  Q_EMIT datasetLoaded(dataset->size());
}

void DataView::saveSettings(QSettings& s) const {
  generator_->saveSettings(s);
  if (dataset_) s.setValue(QStringLiteral("data/lastDataset"), dataset_->source);
}

void DataView::restoreSettings(const QSettings& s) {
  generator_->restoreSettings(s);
  const QString last = s.value(QStringLiteral("data/lastDataset")).toString();
  if (!last.isEmpty() && QFileInfo::exists(last)) {
    restoring_ = true;
    openDataset(last);
  }
}

}  // namespace yolo::ui
