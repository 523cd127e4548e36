#include "core/run/mixed_precision.h"

#include <stdexcept>

namespace yolo::run {

std::vector<std::string> precisionNames() { return {"auto", "fp32", "bf16"}; }

bool cpuHasNativeBf16() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool has =
      __builtin_cpu_supports("avx512bf16") || __builtin_cpu_supports("amx-bf16");
  return has;
#else
  return false;  // other CPUs: libtorch's bfloat16 paths are not known to pay there
#endif
}

std::string resolvePrecision(const std::string& precision, bool onCpu) {
  if (precision == "fp32") return "fp32";
  if (precision == "auto") return onCpu && cpuHasNativeBf16() ? "bf16" : "fp32";
  if (precision == "bf16") {
    if (!onCpu)
      throw std::invalid_argument(
          "precision 'bf16' is for CPU training in this version; use 'auto' or 'fp32' on CUDA");
    return "bf16";
  }
  std::string known;
  for (const auto& name : precisionNames()) known += (known.empty() ? "" : ", ") + name;
  throw std::invalid_argument("unknown precision '" + precision + "' (known: " + known + ")");
}

std::string describePrecision(const std::string& precision, bool onCpu) {
  const std::string used = resolvePrecision(precision, onCpu);
  if (!onCpu) return used;
  const bool native = cpuHasNativeBf16();
  if (used == "bf16")
    return native ? "bf16 (native in this CPU)" : "bf16 (emulated: slow on this CPU)";
  return precision == "auto" && !native ? "fp32 (no bfloat16 in this CPU)" : "fp32";
}

}  // namespace yolo::run
