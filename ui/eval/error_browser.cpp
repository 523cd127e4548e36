#include "ui/eval/error_browser.h"

#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QIcon>
#include <QImageReader>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentMap>

#include <algorithm>
#include <array>

#include "ui/common/class_colors.h"
#include "ui/common/labeled_box.h"

namespace yolo::ui {

namespace {

using eval::DetectionOutcome;
using eval::ObjectOutcome;
using Kind = ErrorFilter::Kind;

constexpr int kThumbnailSide = 176;
/// Thumbnails drawn for a listing: the first ones; the rest are listed by name.
constexpr int kMostThumbnails = 400;

bool isError(DetectionOutcome o) {
  return o != DetectionOutcome::kTruePositive && o != DetectionOutcome::kIgnored;
}

bool kindMatches(Kind kind, DetectionOutcome o) {
  switch (kind) {
    case Kind::kAll:
      return isError(o);
    case Kind::kWrongClass:
      return o == DetectionOutcome::kWrongClass;
    case Kind::kDuplicate:
      return o == DetectionOutcome::kDuplicate;
    case Kind::kPoorLocalisation:
      return o == DetectionOutcome::kPoorLocalisation;
    case Kind::kBackground:
      return o == DetectionOutcome::kBackground;
    case Kind::kNotFound:
      return false;
  }
  return false;
}

bool kindMatches(Kind kind, ObjectOutcome o) {
  return o != ObjectOutcome::kFound && (kind == Kind::kAll || kind == Kind::kNotFound);
}

QString outcomeName(DetectionOutcome o) {
  switch (o) {
    case DetectionOutcome::kWrongClass:
      return ErrorBrowser::tr("wrong class");
    case DetectionOutcome::kDuplicate:
      return ErrorBrowser::tr("duplicate");
    case DetectionOutcome::kPoorLocalisation:
      return ErrorBrowser::tr("poorly placed");
    case DetectionOutcome::kBackground:
      return ErrorBrowser::tr("on background");
    default:
      return QString();
  }
}

QString outcomeName(ObjectOutcome o) {
  switch (o) {
    case ObjectOutcome::kFoundAsOtherClass:
      return ErrorBrowser::tr("read as another class");
    case ObjectOutcome::kPoorlyLocated:
      return ErrorBrowser::tr("only a poor box");
    case ObjectOutcome::kMissed:
      return ErrorBrowser::tr("missed");
    default:
      return QString();
  }
}

/// What one thumbnail draws.
struct Thumbnail {
  QString path;
  LabeledBoxes truth;       ///< dashed
  LabeledBoxes detections;  ///< solid
  QVector<bool> mistaken;   ///< per detection: an error (tagged red)
};

QImage drawThumbnail(const Thumbnail& t) {
  QImage out(kThumbnailSide, kThumbnailSide, QImage::Format_RGB32);
  out.fill(QColor(64, 64, 64));
  QImageReader reader(t.path);
  const QSize size = reader.size();
  QPainter painter(&out);
  if (!size.isValid() || size.isEmpty()) {
    painter.setPen(Qt::white);
    painter.drawText(out.rect(), Qt::AlignCenter | Qt::TextWordWrap,
                     ErrorBrowser::tr("cannot read\n%1").arg(QFileInfo(t.path).fileName()));
    return out;
  }
  const QSize fitted = size.scaled(kThumbnailSide, kThumbnailSide, Qt::KeepAspectRatio);
  reader.setScaledSize(fitted);  // decoders that can (JPEG) decode small at once
  const QImage picture = reader.read();
  const QPointF origin((kThumbnailSide - fitted.width()) / 2.0,
                       (kThumbnailSide - fitted.height()) / 2.0);
  painter.drawImage(origin, picture);
  painter.setRenderHint(QPainter::Antialiasing);
  const double sx = double(fitted.width()) / size.width();
  const double sy = double(fitted.height()) / size.height();
  const auto map = [&](const QRectF& r) {
    return QRectF(origin.x() + r.left() * sx, origin.y() + r.top() * sy, r.width() * sx,
                  r.height() * sy);
  };
  for (const LabeledBox& b : t.truth) {
    painter.setPen(QPen(classColor(b.classId), 1.5, Qt::DashLine));
    painter.drawRect(map(b.rect));
  }
  QFont font = painter.font();
  font.setPixelSize(10);
  painter.setFont(font);
  for (int i = 0; i < t.detections.size(); ++i) {
    const LabeledBox& b = t.detections[i];
    const QRectF r = map(b.rect);
    const QColor color = t.mistaken[i] ? QColor(220, 38, 38) : classColor(b.classId);
    painter.setPen(QPen(color, t.mistaken[i] ? 2.0 : 1.2));
    painter.drawRect(r);
    const QRectF tag(r.topLeft() - QPointF(0, 11),
                     QSizeF(painter.fontMetrics().horizontalAdvance(b.label) + 4, 11));
    painter.fillRect(tag, color);
    painter.setPen(Qt::white);
    painter.drawText(tag, Qt::AlignCenter, b.label);
  }
  return out;
}

}  // namespace

QVector<ImageWithErrors> imagesWithErrors(const eval::ErrorAnalysis& analysis,
                                          const eval::EvaluationReport& report,
                                          const ErrorFilter& filter) {
  QVector<ImageWithErrors> out;
  for (const eval::ImageErrors& image : analysis.images) {
    const auto& truth = report.groundTruth[static_cast<size_t>(image.image)];
    const auto& found = report.detections[static_cast<size_t>(image.image)];
    ImageWithErrors item;
    item.image = image.image;
    QMap<QString, int> kinds;
    for (const eval::DetectionVerdict& v : image.detections) {
      if (!kindMatches(filter.kind, v.outcome)) continue;
      const int detected = found[static_cast<size_t>(v.detection)].classId;
      const int onObject = v.object >= 0 ? truth[static_cast<size_t>(v.object)].classId : -1;
      if (filter.classId >= 0 && filter.classId != detected &&
          !(v.outcome == DetectionOutcome::kWrongClass && filter.classId == onObject))
        continue;
      ++item.errors;
      ++kinds[outcomeName(v.outcome)];
      item.mostConfidentMistake =
          std::max(item.mostConfidentMistake, found[static_cast<size_t>(v.detection)].score);
    }
    for (const eval::ObjectVerdict& v : image.objects) {
      if (!kindMatches(filter.kind, v.outcome)) continue;
      if (filter.classId >= 0 && truth[static_cast<size_t>(v.object)].classId != filter.classId)
        continue;
      ++item.errors;
      ++kinds[outcomeName(v.outcome)];
    }
    if (item.errors == 0) continue;
    QStringList parts;
    for (auto it = kinds.cbegin(); it != kinds.cend(); ++it)
      parts << QStringLiteral("%1 %2").arg(it.value()).arg(it.key());
    item.summary = parts.join(QStringLiteral(", "));
    out.push_back(item);
  }
  const auto byOrder = [&](const ImageWithErrors& a, const ImageWithErrors& b) {
    switch (filter.order) {
      case ErrorFilter::Order::kMostErrors:
        return a.errors > b.errors;
      case ErrorFilter::Order::kMostConfidentMistake:
        return a.mostConfidentMistake > b.mostConfidentMistake;
      case ErrorFilter::Order::kImageOrder:
        return false;
    }
    return false;
  };
  std::stable_sort(out.begin(), out.end(), byOrder);
  return out;
}

ErrorBrowser::ErrorBrowser(QWidget* parent) : QWidget(parent) {
  kind_ = new QComboBox;
  kind_->setObjectName(QStringLiteral("errorKind"));
  kind_->addItem(tr("All errors"), static_cast<int>(Kind::kAll));
  kind_->addItem(tr("Wrong class"), static_cast<int>(Kind::kWrongClass));
  kind_->addItem(tr("Duplicates"), static_cast<int>(Kind::kDuplicate));
  kind_->addItem(tr("Poorly placed"), static_cast<int>(Kind::kPoorLocalisation));
  kind_->addItem(tr("On background"), static_cast<int>(Kind::kBackground));
  kind_->addItem(tr("Objects not found"), static_cast<int>(Kind::kNotFound));
  class_ = new QComboBox;
  class_->setObjectName(QStringLiteral("errorClass"));
  order_ = new QComboBox;
  order_->setObjectName(QStringLiteral("errorOrder"));
  order_->addItem(tr("Most errors first"), static_cast<int>(ErrorFilter::Order::kMostErrors));
  order_->addItem(tr("Most confident mistake first"),
                  static_cast<int>(ErrorFilter::Order::kMostConfidentMistake));
  order_->addItem(tr("Image order"), static_cast<int>(ErrorFilter::Order::kImageOrder));
  count_ = new QLabel;
  count_->setObjectName(QStringLiteral("errorImages"));
  for (QComboBox* box : {kind_, class_, order_})
    connect(box, &QComboBox::activated, this, &ErrorBrowser::refill);

  list_ = new QListWidget;
  list_->setObjectName(QStringLiteral("errorGallery"));
  list_->setViewMode(QListView::IconMode);
  list_->setIconSize(QSize(kThumbnailSide, kThumbnailSide));
  list_->setResizeMode(QListView::Adjust);
  list_->setMovement(QListView::Static);
  list_->setUniformItemSizes(true);
  list_->setWordWrap(true);
  list_->setToolTip(
      tr("Ground truth dashed, detections solid, mistakes in red; double-click "
         "to open the image in the Detect view"));
  connect(list_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
    Q_EMIT imageOpened(item->data(Qt::UserRole).toString());
  });

  thumbnails_ = new QFutureWatcher<QImage>(this);
  connect(thumbnails_, &QFutureWatcher<QImage>::resultReadyAt, this, [this](int index) {
    if (QListWidgetItem* item = list_->item(index)) {
      item->setIcon(QIcon(QPixmap::fromImage(thumbnails_->resultAt(index))));
      ++thumbnailsDrawn_;
    }
  });

  auto* filters = new QHBoxLayout;
  filters->addWidget(kind_);
  filters->addWidget(class_);
  filters->addWidget(order_);
  filters->addWidget(count_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(filters);
  layout->addWidget(list_, 1);
}

ErrorBrowser::~ErrorBrowser() {
  thumbnails_->cancel();
  thumbnails_->waitForFinished();
}

void ErrorBrowser::setErrors(std::shared_ptr<const Evaluation> evaluation,
                             const eval::ErrorAnalysis& analysis) {
  evaluation_ = std::move(evaluation);
  analysis_ = analysis;
  const int chosenClass = class_->currentData().isValid() ? class_->currentData().toInt() : -1;
  class_->clear();
  class_->addItem(tr("All classes"), -1);
  if (evaluation_) {
    for (size_t c = 0; c < evaluation_->classNames.size(); ++c)
      class_->addItem(QString::fromStdString(evaluation_->classNames[c]), static_cast<int>(c));
  }
  const int index = class_->findData(chosenClass);
  class_->setCurrentIndex(index >= 0 ? index : 0);
  refill();
}

ErrorFilter ErrorBrowser::filter() const {
  ErrorFilter f;
  f.kind = static_cast<Kind>(kind_->currentData().toInt());
  f.classId = class_->currentData().isValid() ? class_->currentData().toInt() : -1;
  f.order = static_cast<ErrorFilter::Order>(order_->currentData().toInt());
  return f;
}

void ErrorBrowser::setFilter(const ErrorFilter& f) {
  kind_->setCurrentIndex(std::max(0, kind_->findData(static_cast<int>(f.kind))));
  class_->setCurrentIndex(std::max(0, class_->findData(f.classId)));
  order_->setCurrentIndex(std::max(0, order_->findData(static_cast<int>(f.order))));
  refill();
}

void ErrorBrowser::refill() {
  // Not waited for: a picture being decoded (a big photo takes a while) finishes on its
  // pool thread, on data of its own, and its result goes nowhere.
  thumbnails_->cancel();
  thumbnailsDrawn_ = 0;
  list_->clear();
  shown_.clear();
  if (!evaluation_) {
    count_->clear();
    return;
  }
  const eval::EvaluationReport& r = evaluation_->report;
  shown_ = imagesWithErrors(analysis_, r, filter());
  count_->setText(tr("%n image(s)", nullptr, static_cast<int>(shown_.size())));
  QPixmap blank(kThumbnailSide, kThumbnailSide);
  blank.fill(QColor(64, 64, 64));
  const QIcon waiting(blank);
  for (const ImageWithErrors& image : shown_) {
    const QString path =
        QString::fromStdString(r.imagePaths[static_cast<size_t>(image.image)].string());
    auto* item = new QListWidgetItem(waiting, QFileInfo(path).fileName(), list_);
    item->setData(Qt::UserRole, path);
    item->setToolTip(QStringLiteral("%1\n%2").arg(path, image.summary));
    item->setSizeHint(QSize(kThumbnailSide + 12, kThumbnailSide + 2 * fontMetrics().height() + 8));
  }
  drawThumbnails();
}

void ErrorBrowser::drawThumbnails() {
  const eval::EvaluationReport& r = evaluation_->report;
  QVector<Thumbnail> jobs;
  for (int i = 0; i < std::min<int>(kMostThumbnails, shown_.size()); ++i) {
    const int image = shown_[i].image;
    Thumbnail t;
    t.path = QString::fromStdString(r.imagePaths[static_cast<size_t>(image)].string());
    for (const data::Box& b : r.groundTruth[static_cast<size_t>(image)])
      t.truth.push_back(
          LabeledBox{QRectF(QPointF(b.x1, b.y1), QPointF(b.x2, b.y2)), b.classId, {}, {}});
    const auto& found = r.detections[static_cast<size_t>(image)];
    for (const eval::DetectionVerdict& v :
         analysis_.images[static_cast<size_t>(image)].detections) {
      const infer::Detection& d = found[static_cast<size_t>(v.detection)];
      const QString name =
          evaluation_ && d.classId < static_cast<int>(evaluation_->classNames.size())
              ? QString::fromStdString(evaluation_->classNames[static_cast<size_t>(d.classId)])
              : QString::number(d.classId);
      t.detections.push_back(LabeledBox{QRectF(QPointF(d.x1, d.y1), QPointF(d.x2, d.y2)),
                                        d.classId,
                                        QStringLiteral("%1 %2").arg(name).arg(d.score, 0, 'f', 2),
                                        {}});
      t.mistaken.push_back(isError(v.outcome));
    }
    jobs.push_back(std::move(t));
  }
  thumbnails_->setFuture(QtConcurrent::mapped(jobs, drawThumbnail));
}

}  // namespace yolo::ui
