#include "ui/common/class_colors.h"

namespace yolo::ui {

QColor classColor(int classId) {
  static const QRgb palette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
  const int n = static_cast<int>(sizeof(palette) / sizeof(palette[0]));
  return QColor::fromRgb(palette[((classId % n) + n) % n]);
}

}  // namespace yolo::ui
