#include "ui/data/dataset_browser.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QVBoxLayout>

#include "ui/data/dataset_filter.h"
#include "ui/data/dataset_model.h"

namespace yolo::ui {

DatasetBrowser::DatasetBrowser(QWidget* parent) : QWidget(parent) {
  model_ = new DatasetModel(this);
  filter_ = new DatasetFilter(this);
  filter_->setSourceModel(model_);

  auto* layout = new QVBoxLayout(this);
  auto* row = new QHBoxLayout;
  classFilter_ = new QComboBox;
  classFilter_->setObjectName(QStringLiteral("classFilter"));
  classFilter_->addItem(tr("All classes"), -1);
  connect(classFilter_, &QComboBox::currentIndexChanged, this,
          [this] { setClassFilter(classFilter_->currentData().toInt()); });
  splitFilter_ = new QComboBox;
  splitFilter_->addItem(tr("Train + test"), QString());
  splitFilter_->addItem(tr("Train"), QStringLiteral("train"));
  splitFilter_->addItem(tr("Test"), QStringLiteral("test"));
  connect(splitFilter_, &QComboBox::currentIndexChanged, this, [this] {
    filter_->setSplitFilter(splitFilter_->currentData().toString());
    updateShownCount();
  });
  search_ = new QLineEdit;
  search_->setObjectName(QStringLiteral("search"));
  search_->setPlaceholderText(tr("Search file names"));
  search_->setClearButtonEnabled(true);
  connect(search_, &QLineEdit::textChanged, this, &DatasetBrowser::setNameFilter);
  row->addWidget(classFilter_);
  row->addWidget(splitFilter_);
  row->addWidget(search_, 1);
  layout->addLayout(row);

  grid_ = new QListView;
  grid_->setObjectName(QStringLiteral("browser"));
  grid_->setModel(filter_);
  grid_->setViewMode(QListView::IconMode);
  grid_->setResizeMode(QListView::Adjust);
  grid_->setMovement(QListView::Static);
  grid_->setUniformItemSizes(true);  // layout without asking every row: fast on thousands
  grid_->setIconSize(QSize(model_->thumbnailSize(), model_->thumbnailSize()));
  grid_->setGridSize(QSize(model_->thumbnailSize() + 16, model_->thumbnailSize() + 24));
  grid_->setSpacing(2);
  grid_->setLayoutMode(QListView::Batched);
  grid_->setSelectionMode(QAbstractItemView::SingleSelection);
  grid_->setWordWrap(false);
  grid_->setTextElideMode(Qt::ElideMiddle);
  connect(grid_->selectionModel(), &QItemSelectionModel::currentChanged, this,
          [this](const QModelIndex& current) {
            if (current.isValid()) Q_EMIT sampleSelected(filter_->mapToSource(current).row());
          });
  layout->addWidget(grid_, 1);
  shown_ = new QLabel;
  shown_->setObjectName(QStringLiteral("shownCount"));
  layout->addWidget(shown_);
  counts_ = new QLabel;
  counts_->setObjectName(QStringLiteral("classCounts"));
  counts_->setWordWrap(true);
  layout->addWidget(counts_);
}

void DatasetBrowser::setDataset(std::shared_ptr<const LoadedDataset> dataset) {
  dataset_ = std::move(dataset);
  model_->setDataset(dataset_);
  {
    const QSignalBlocker blockClasses(classFilter_), blockSplits(splitFilter_),
        blockSearch(search_);
    classFilter_->clear();
    classFilter_->addItem(tr("All classes"), -1);
    for (int c = 0; dataset_ && c < dataset_->classNames.size(); ++c)
      classFilter_->addItem(tr("Class %1").arg(dataset_->classNames[c]), c);
    splitFilter_->setCurrentIndex(0);
    search_->clear();
  }
  filter_->setClassFilter(-1);
  filter_->setSplitFilter(QString());
  filter_->setNameFilter(QString());
  // The box counts do not depend on the filter: counted once per dataset.
  counts_->setText(dataset_ ? boxesPerClassText(*dataset_) : QString());
  updateShownCount();
  if (filter_->rowCount() > 0) grid_->setCurrentIndex(filter_->index(0, 0));
}

QString DatasetBrowser::countsText() const { return counts_->text(); }

QString DatasetBrowser::shownText() const { return shown_->text(); }

void DatasetBrowser::setClassFilter(int classId) {
  filter_->setClassFilter(classId);
  const int index = classFilter_->findData(classId);
  if (index >= 0 && index != classFilter_->currentIndex()) {
    const QSignalBlocker block(classFilter_);
    classFilter_->setCurrentIndex(index);
  }
  updateShownCount();
}

void DatasetBrowser::setNameFilter(const QString& text) {
  filter_->setNameFilter(text);
  if (search_->text() != text) {
    const QSignalBlocker block(search_);
    search_->setText(text);
  }
  updateShownCount();
}

void DatasetBrowser::updateShownCount() {
  shown_->setText(dataset_
                      ? tr("%1 of %2 images shown").arg(filter_->rowCount()).arg(dataset_->size())
                      : QString());
}

QString boxesPerClassText(const LoadedDataset& dataset) {
  QVector<int> perClass(dataset.classNames.size(), 0);
  int other = 0;
  for (const data::Sample& s : dataset.samples) {
    for (const data::Box& b : s.boxes) {
      if (b.classId >= 0 && b.classId < perClass.size()) {
        ++perClass[b.classId];
      } else {
        ++other;
      }
    }
  }
  QStringList parts;
  for (int c = 0; c < perClass.size(); ++c)
    parts << QStringLiteral("%1: %2").arg(dataset.classNames[c]).arg(perClass[c]);
  if (other > 0) parts << DatasetBrowser::tr("other: %1").arg(other);
  return DatasetBrowser::tr("Boxes per class — %1").arg(parts.join(QStringLiteral(" · ")));
}

}  // namespace yolo::ui
