#include "ui/common/compute_devices.h"

#include <torch/cuda.h>

namespace yolo::ui {

QStringList computeDevices() {
  static const QStringList devices = [] {
    QStringList out{QStringLiteral("auto"), QStringLiteral("cpu")};
    const int cuda = torch::cuda::is_available() ? static_cast<int>(torch::cuda::device_count()) : 0;
    for (int i = 0; i < cuda; ++i) out << QStringLiteral("cuda:%1").arg(i);
    return out;
  }();
  return devices;
}

}  // namespace yolo::ui
