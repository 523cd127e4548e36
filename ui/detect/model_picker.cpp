#include "ui/detect/model_picker.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

namespace yolo::ui {

namespace {
constexpr int kRoleAction = Qt::UserRole + 1;  // what an entry does: a path, or kBrowse
const QString kBrowse = QStringLiteral("browse");
}  // namespace

ModelPicker::ModelPicker(QWidget* parent) : QComboBox(parent) {
  setObjectName(QStringLiteral("model"));
  setMinimumContentsLength(36);
  setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  connect(this, &QComboBox::activated, this, [this](int index) {
    const QString action = itemData(index, kRoleAction).toString();
    if (action == kBrowse) {
      chooseFile();
    } else if (!action.isEmpty()) {
      Q_EMIT chosen(action);
    }
  });
  rebuild();
}

void ModelPicker::setRunDir(const QString& runDir) {
  runDir_ = runDir;
  rebuild();
}

void ModelPicker::remember(const QString& path) {
  if (QFileInfo(path).isDir()) return;  // run folders come from setRunDir
  recent_.removeAll(path);
  recent_.prepend(path);
  while (recent_.size() > kMaxRecent) recent_.removeLast();
  rebuild();
}

void ModelPicker::setRecentModels(const QStringList& paths) {
  recent_.clear();
  for (auto it = paths.crbegin(); it != paths.crend(); ++it) remember(*it);
  rebuild();
}

void ModelPicker::setLoaded(const QString& path) {
  loaded_ = path;
  rebuild();
}

void ModelPicker::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Choose a checkpoint"), runDir_,
                                                    tr("Checkpoints (*.pt);;All files (*)"));
  if (path.isEmpty()) {
    rebuild();  // back to the entry loaded
  } else {
    Q_EMIT chosen(path);
  }
}

void ModelPicker::rebuild() {
  const QSignalBlocker block(this);
  clear();
  addItem(tr("Choose a model…"));
  auto addEntry = [this](const QString& text, const QString& path) {
    addItem(text);
    setItemData(count() - 1, path, kRoleAction);
    setItemData(count() - 1, QDir::toNativeSeparators(path), Qt::ToolTipRole);
  };
  if (!runDir_.isEmpty()) {
    const QString run = QFileInfo(runDir_).fileName();
    for (const QString& file : {QStringLiteral("best.pt"), QStringLiteral("last.pt")})
      addEntry(tr("Current run %1: %2").arg(run, file), QDir(runDir_).filePath(file));
  }
  for (const QString& path : recent_) {
    // "run/best.pt": every run's checkpoints have the same two names.
    const QFileInfo file(path);
    addEntry(QStringLiteral("%1/%2").arg(file.dir().dirName(), file.fileName()), path);
  }
  addItem(tr("Other checkpoint file…"));
  setItemData(count() - 1, kBrowse, kRoleAction);
  const int entry = findData(loaded_, kRoleAction);
  setCurrentIndex(loaded_.isEmpty() || entry < 0 ? 0 : entry);
}

}  // namespace yolo::ui
