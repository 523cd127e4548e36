#pragma once
// The error browser: the evaluated images that hold errors, as thumbnails with the ground
// truth drawn dashed and the judged detections solid (errors tagged in red). Filtered by
// kind of error and by class, sorted by how many errors an image holds or by its most
// confident mistake; a thumbnail double-clicked (or Enter) opens its image in the Detect
// view. Thumbnails are drawn on pool threads, the first ones first.

#include <QFutureWatcher>
#include <QImage>
#include <QString>
#include <QVector>
#include <QWidget>

#include <memory>

#include "core/eval/error_analysis.h"
#include "core/eval/evaluate_model.h"
#include "ui/eval/evaluation_job.h"

class QComboBox;
class QLabel;
class QListWidget;

namespace yolo::ui {

/// Which errors the browser shows.
struct ErrorFilter {
  enum class Kind {
    kAll,
    kWrongClass,
    kDuplicate,
    kPoorLocalisation,
    kBackground,
    kNotFound,  ///< objects not found: read as another class, poorly located, or missed
  };
  enum class Order { kMostErrors, kMostConfidentMistake, kImageOrder };
  Kind kind = Kind::kAll;
  int classId = -1;  ///< -1: every class; else the detection's class for a false positive,
                     ///< the object's for one not found (a wrong class: either)
  Order order = Order::kMostErrors;
};

/// One image as the browser lists it.
struct ImageWithErrors {
  int image = 0;                   ///< index into the evaluated images
  int errors = 0;                  ///< errors that pass the filter
  float mostConfidentMistake = 0;  ///< highest score of its false positives that pass; 0 if none
  QString summary;                 ///< "2 wrong class, 1 missed"
};

/// The images of `analysis` with at least one error passing `filter`, in its order (ties in
/// image order).
QVector<ImageWithErrors> imagesWithErrors(const eval::ErrorAnalysis& analysis,
                                          const eval::EvaluationReport& report,
                                          const ErrorFilter& filter);

class ErrorBrowser : public QWidget {
  Q_OBJECT

 public:
  explicit ErrorBrowser(QWidget* parent = nullptr);
  /// Waits for thumbnails being drawn.
  ~ErrorBrowser() override;

  /// Shows the errors of `analysis`, judged on `evaluation`'s detections.
  void setErrors(std::shared_ptr<const Evaluation> evaluation, const eval::ErrorAnalysis& analysis);
  void setFilter(const ErrorFilter& filter);
  ErrorFilter filter() const;

  QListWidget* list() const { return list_; }
  /// Thumbnails drawn so far for the current listing.
  int thumbnailsDrawn() const { return thumbnailsDrawn_; }

 Q_SIGNALS:
  /// An image was opened (double-click or Enter): its path.
  void imageOpened(const QString& path);

 private:
  void refill();
  void drawThumbnails();

  std::shared_ptr<const Evaluation> evaluation_;
  eval::ErrorAnalysis analysis_;
  QVector<ImageWithErrors> shown_;
  QComboBox* kind_ = nullptr;
  QComboBox* class_ = nullptr;
  QComboBox* order_ = nullptr;
  QLabel* count_ = nullptr;
  QListWidget* list_ = nullptr;
  QFutureWatcher<QImage>* thumbnails_ = nullptr;
  int thumbnailsDrawn_ = 0;
};

}  // namespace yolo::ui
