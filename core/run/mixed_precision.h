#pragma once
// The arithmetic a training run uses (RunConfig::precision). No torch here: the Train form
// and the CLI describe the choice without loading libtorch.
//
//   fp32  everything in float32.
//   bf16  the forward pass under libtorch's CPU autocast: convolutions and matrix products
//         in bfloat16 (float32 accumulation), the weights, their gradients, BatchNorm
//         statistics, the loss, Adam and the weight average in float32. About twice the
//         steps per second on CPUs that multiply bfloat16 in hardware.
//   auto  bf16 where the CPU multiplies bfloat16 in hardware (AVX-512 BF16 or AMX-BF16),
//         fp32 elsewhere: without them libtorch emulates bfloat16 and a step is many times
//         slower (bench/README.md). On CUDA devices, fp32 in this version.

#include <string>
#include <vector>

namespace yolo::run {

/// The values RunConfig::precision accepts: "auto", "fp32", "bf16".
std::vector<std::string> precisionNames();

/// True when this CPU has bfloat16 dot products in hardware (AVX-512 BF16 or AMX-BF16),
/// decided from the CPU's feature flags at run time.
bool cpuHasNativeBf16();

/// What a run whose setting is `precision` computes in: "bf16" or "fp32" (see the top of
/// this file). `onCpu` is false for CUDA devices. Throws std::invalid_argument naming the
/// accepted values for anything else, and for "bf16" on a CUDA device.
std::string resolvePrecision(const std::string& precision, bool onCpu);

/// resolvePrecision() with the reason, for the "started" event: "bf16 (native in this CPU)",
/// "bf16 (emulated: slow on this CPU)", "fp32 (no bfloat16 in this CPU)" or "fp32".
std::string describePrecision(const std::string& precision, bool onCpu);

}  // namespace yolo::run
