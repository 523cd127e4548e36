#pragma once
// Giving up a big image without the GUI thread paying for it: returning hundreds of
// megabytes to the system takes tens of milliseconds, a visible stutter when a photo of
// 100 megapixels is replaced by the next one.

#include <QImage>

namespace yolo::ui {

/// Drops this reference to `image` on a pool thread. When it was the last one, the memory
/// is freed there; small images are simply dropped here.
void releaseInBackground(QImage image);

}  // namespace yolo::ui
