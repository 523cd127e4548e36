// An evaluation the trainer kept in a run folder (evaluations/epoch-NNNN.json), as the
// Evaluate view reads it: parsed, and its figures recomputed from the detections.
#include "core/eval/saved_evaluation.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    yolo::eval::loadEvaluation(yolo::fuzz::writeInput("epoch-0001.json", data, size));
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
