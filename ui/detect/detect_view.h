#pragma once
// The Detect view: choose a model (the current run's best/last checkpoint or any file),
// open, drop or paste images, or draw digits; detections are boxed and labelled, listed in
// a table, and re-filtered instantly when the score or NMS sliders move.

#include <QImage>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include "ui/detect/detection_worker.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSettings;
class QSlider;
class QTableWidget;
class QTabWidget;
class QThread;
class QTimer;

namespace yolo::ui {

class BoxImageView;
class DetectionScheduler;
class ImageList;
class ModelPicker;
class SketchPad;

class DetectView : public QWidget {
  Q_OBJECT

 public:
  explicit DetectView(QWidget* parent = nullptr);
  ~DetectView() override;

  /// Adds readable images to the list and shows the first; returns how many were added.
  int openImages(const QStringList& paths);
  void addImage(const QString& name, const QImage& image);
  /// Adds the clipboard's image (or image files); false when it holds none.
  bool pasteFromClipboard();
  /// Switches to the Draw tab, where digits drawn with the mouse are detected as drawn.
  void showDrawingPad();

  /// Loads a checkpoint file or a run folder (best, else last) in the background, on
  /// device().
  void loadModel(const QString& path);
  /// The checkpoint loaded or loading; empty when none.
  QString loadedModel() const { return loadedModel_; }
  /// Where models run: "auto", "cpu" or "cuda:N" (listed only when libtorch has CUDA).
  QString device() const;
  /// Chooses the device; a loaded model is loaded again there. Unknown names are ignored.
  void setDevice(const QString& device);
  /// Offers the run's best.pt / last.pt in the model list.
  void setCurrentRunDir(const QString& runDir);

  DetectSettings settings() const;
  void setSettings(const DetectSettings& settings);

  int imageCount() const;
  int currentImage() const { return current_; }
  bool modelReady() const;
  /// True when nothing is on its way: no model loading, no detection running or due for
  /// the shown picture (what is drawn is final).
  bool settled() const;
  const DetectionRecords& detections() const { return shown_; }
  BoxImageView* imageView() const { return view_; }
  SketchPad* sketchPad() const { return sketch_; }
  QTableWidget* table() const { return table_; }
  /// Why the selected detection is there, or why nothing is where the mouse rests.
  QLabel* explanation() const { return explanation_; }
  /// Saves the shown image with its boxes; false with *error set when it cannot.
  bool saveAnnotated(const QString& path, QString* error = nullptr) const;

  void saveSettings(QSettings& settings) const;
  void restoreSettings(const QSettings& settings);

 protected:
  void showEvent(QShowEvent* event) override;

 public Q_SLOTS:
  void chooseImages();
  void chooseModelFile();
  void saveAnnotatedInteractive();
  void showImage(int index);

 Q_SIGNALS:
  void statusMessage(const QString& text);
  /// Emitted when a detection result has been drawn (tests wait on it).
  void detectionsShown(int count);
  /// A model finished loading (the main window saves it as the one to reopen).
  void modelChanged(const QString& checkpoint);

  // To the worker thread.
  void loadRequested(const QString& path, const QString& device);
  void detectRequested(int requestId, const QImage& image,
                       const yolo::ui::DetectSettings& settings);
  void refilterRequested(int requestId, const yolo::ui::DetectSettings& settings);
  void explainRequested(int requestId, const yolo::ui::DetectSettings& settings, int index);
  void probeRequested(int requestId, const QPointF& point,
                      const yolo::ui::DetectSettings& settings);

 private:
  QWidget* buildToolbar();
  bool drawing() const;
  /// What the image area says when no image is open.
  QString emptyPlaceholder() const;
  QString currentKey() const;
  void onSettingsChanged();
  void onDetected(int requestId, const DetectionRecords& detections, double ms);
  void showDetections(const DetectionRecords& detections);
  /// Asks the worker why detection `row` of the shown result is there (-1: clears).
  void explainDetection(int row);

  QThread* thread_ = nullptr;
  DetectionWorker* worker_ = nullptr;

  ModelPicker* model_ = nullptr;
  QComboBox* device_ = nullptr;
  QLabel* modelInfo_ = nullptr;
  QSlider* score_ = nullptr;
  QSlider* nms_ = nullptr;
  QCheckBox* oneLabel_ = nullptr;
  QLabel* scoreLabel_ = nullptr;
  QLabel* nmsLabel_ = nullptr;
  QTabWidget* modes_ = nullptr;
  ImageList* list_ = nullptr;
  BoxImageView* view_ = nullptr;
  SketchPad* sketch_ = nullptr;
  QTableWidget* table_ = nullptr;

  int current_ = -1;
  QString loadedModel_;
  QString modelToRestore_;  ///< last session's model, loaded when the view is first shown
  DetectionScheduler* scheduler_ = nullptr;
  DetectionRecords shown_;
  QLabel* explanation_ = nullptr;
  /// Counts the results drawn: an explanation asked for one is dropped when another is
  /// drawn before it comes.
  int shownResult_ = 0;
  QTimer* probeTimer_ = nullptr;  ///< asks about the point the mouse rests on, not each move
  QPointF probePoint_;
};

}  // namespace yolo::ui
