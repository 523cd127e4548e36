#include "ui/common/release_in_background.h"

#include <utility>

#include <QThreadPool>

namespace yolo::ui {

void releaseInBackground(QImage image) {
  constexpr qsizetype kSmall = 16 << 20;  // bytes: freed in well under a millisecond
  if (image.sizeInBytes() < kSmall) return;
  QThreadPool::globalInstance()->start([held = std::move(image)]() mutable { held = QImage(); });
}

}  // namespace yolo::ui
