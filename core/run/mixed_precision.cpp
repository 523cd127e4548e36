#include "core/run/mixed_precision.h"

#include <stdexcept>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#endif

namespace yolo::run {

std::vector<std::string> precisionNames() { return {"auto", "fp32", "bf16"}; }

// AVX512_BF16 (CPUID leaf 7, subleaf 1, EAX bit 5) with the AVX-512 register state saved by
// the OS (XCR0 bits 5-7). AMX-BF16 parts have it too. Read from CPUID directly: compilers
// differ in the feature names __builtin_cpu_supports knows (clang 14 knows neither).
bool cpuHasNativeBf16() {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27))) return false;  // OSXSAVE
    unsigned xcr0 = 0, xcr0High = 0;
    __asm__("xgetbv" : "=a"(xcr0), "=d"(xcr0High) : "c"(0));
    constexpr unsigned kAvx512State = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((xcr0 & kAvx512State) != kAvx512State) return false;
    if (__get_cpuid_max(0, nullptr) < 7) return false;
    __cpuid_count(7, 1, a, b, c, d);
    return (a & (1u << 5)) != 0;
  }();
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
