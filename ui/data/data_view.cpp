#include "ui/data/data_view.h"

#include <QFileInfo>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>

#include "ui/data/dataset_browser.h"
#include "ui/data/dataset_opener.h"
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
  connect(generator_, &GeneratorPanel::generationFinished, this, [this](const QString& folder) {
    Q_EMIT datasetFolderReady(folder);
    openDataset(folder);
  });
  connect(opener_, &DatasetOpener::opened, this, &DataView::showDataset);
  connect(opener_, &DatasetOpener::failed, this,
          [this](const QString& message, const QStringList& issues) {
            inspector_->showProblems(issues);
            Q_EMIT loadFailed(message);
          });
  connect(browser_, &DatasetBrowser::sampleSelected, inspector_, &SampleInspector::showSample);
}

void DataView::openDataset(const QString& path) { opener_->openDataset(path); }

bool DataView::isBusy() const { return generator_->isBusy(); }

bool DataView::isOpening() const { return opener_->isOpening(); }

bool DataView::generate() { return generator_->generate(); }

void DataView::cancelWork() { generator_->cancel(); }

void DataView::chooseDataset() { opener_->chooseDataset(); }

void DataView::showDataset(const std::shared_ptr<const LoadedDataset>& dataset) {
  dataset_ = dataset;
  inspector_->setDataset(dataset);
  browser_->setDataset(dataset);               // selects the first image, which the inspector shows
  Q_EMIT datasetFolderReady(dataset->source);  // the Train view trains on any of them
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
  if (!last.isEmpty() && QFileInfo::exists(last)) openDataset(last);
}

}  // namespace yolo::ui
