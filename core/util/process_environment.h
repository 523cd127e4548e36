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

/// A training step allocates and frees the same large activations (tens to hundreds of MB)
/// every time. glibc gives each new thread an arena of its own, made of 64 MB heaps that
/// cannot hold such blocks: they are mmapped and unmapped on every step, and the kernel
/// clears every page again. Trained on a worker thread (the workbench), that made steps 4-5
/// times slower than on the main thread (yolo-cli train). This puts every thread in the main
/// arena, keeps blocks up to 1 GB in its heap and freed memory in the process, so any thread
/// reuses warm pages; the process keeps its peak footprint, which training reaches on its
/// first step anyway. Call it first thing in main(): a thread that already allocated keeps
/// its arena. Idempotent; does nothing outside glibc.
void keepLargeAllocationsInOneHeap();

}  // namespace yolo
