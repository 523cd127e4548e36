#pragma once
// The workbench's main window: Data, Train and Detect views in a tab bar, menus with the
// usual shortcuts, a status bar saying what runs, window state kept in QSettings. Image
// files dropped anywhere on the window go to Detect.

#include <QMainWindow>
#include <QStringList>

class QLabel;
class QTimer;
class QTabWidget;
class QMimeData;

namespace yolo::ui {

class DataView;
class DetectView;
class EvaluationView;
class TrainView;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  enum View { kData = 0, kTrain = 1, kDetect = 2, kEvaluate = 3 };

  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  QTabWidget* views() const { return views_; }
  DataView* dataView() const { return data_; }
  TrainView* trainView() const { return train_; }
  DetectView* detectView() const { return detect_; }
  EvaluationView* evaluationView() const { return evaluate_; }
  void showView(View view);

  /// Local image files among `mime`'s URLs (what a drop would open).
  static QStringList imageFiles(const QMimeData* mime);

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void buildMenus();
  void readSettings();
  void writeSettings() const;
  bool handleDrop(const QMimeData* mime);
  void about();

  QTabWidget* views_ = nullptr;
  DataView* data_ = nullptr;
  TrainView* train_ = nullptr;
  DetectView* detect_ = nullptr;
  EvaluationView* evaluate_ = nullptr;
  QLabel* running_ = nullptr;
  bool closeWhenStopped_ = false;
  bool settingsRestored_ = false;    ///< readSettings() done: writeSettings() may write
  QTimer* settingsSaver_ = nullptr;  ///< writes the settings once form edits pause
};

}  // namespace yolo::ui
