#pragma once
// Process-wide settings that must be in place before libtorch's thread pool starts.

namespace yolo {

/// libtorch's OpenMP threads spin while waiting for work. When any other thread needs a
/// core (our batch-loader threads, the GUI thread, another program), a spinning thread
/// steals it and a step takes 3-6 times longer. OMP_WAIT_POLICY=passive makes them sleep
/// instead, but OpenMP reads it once, when the library loads, before main() runs. So when
/// it is unset, this sets it and re-executes the program with the same arguments; when the
/// user set it (to anything), it changes nothing. Returns only when no re-exec happened.
/// For processes that train (yolo-cli train, the workbench). One that only runs detection
/// is better off without it: waking sleeping threads for each layer makes a batch-1
/// forward on 2 cores about 20% slower (bench_inference).
void ensurePassiveOpenMpWaiting(char** argv);

}  // namespace yolo
