#pragma once
// Whether a training run can fit in this machine's memory, known before the first batch is
// allocated: a batch of 64 at 1024 px needs tens of gigabytes, and on Linux such a run is
// not refused by an allocation but killed by the kernel's OOM killer minutes later, with no
// message. Torch-free: the estimate walks the Darknet layer list.

#include <cstdint>
#include <optional>
#include <string>

#include "core/model/model_spec.h"

namespace yolo::train {

/// A lower bound on the bytes one training step holds for a batch on the CPU: what autograd
/// must keep for the backward pass (each convolution's output and its activated output, the
/// outputs of shortcuts, routes, upsamples and pools) for every image, plus the input batch
/// and the loader's prefetched ones; and the network's weights with their gradients, Adam's
/// moments and the weight average. `bytesPerValue` (of the activations) is 4 for fp32, 2 for
/// bf16. Real use is higher (BatchNorm's outputs, the activations' gradients, libtorch
/// itself): a run whose bound exceeds the memory available cannot fit.
int64_t trainingMemoryLowerBound(const model::ModelSpec& spec, int batchSize, int dataWorkers,
                                 int bytesPerValue);

/// The memory a new allocation can get without swapping others out: MemAvailable plus free
/// swap, from /proc/meminfo; nullopt where that is unknown.
std::optional<int64_t> availableMemoryBytes();

/// Throws std::runtime_error naming the batch size, the input size, the bound and the memory
/// available when the bound exceeds `available`; nothing when it fits or `available` is
/// unknown.
void refuseRunLargerThanMemory(const model::ModelSpec& spec, int batchSize, int dataWorkers,
                               int bytesPerValue, std::optional<int64_t> available);

}  // namespace yolo::train
