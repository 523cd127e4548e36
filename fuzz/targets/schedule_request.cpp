// A plan change left in a run folder (adjust.json), as a training run takes it: read,
// removed, and checked against a run's config and steps.
#include "core/run/schedule_change.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto runDir = yolo::fuzz::scratchFolder() / "run";
  yolo::fuzz::writeBytes(yolo::run::scheduleRequestPath(runDir), data, size);
  try {
    if (const auto change = yolo::run::takeScheduleRequest(runDir)) {
      const yolo::run::RunConfig config = yolo::run::preset("cpu-fast");
      yolo::run::checkScheduleChange(config, *change, 1234, 100);
      yolo::run::describeScheduleChange(config, yolo::run::withScheduleChange(config, *change));
    }
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
