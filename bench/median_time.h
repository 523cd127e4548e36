#pragma once
// The timing rule of the benchmarks: the median of repeated runs after untimed warm-up runs,
// so one slow run (another process taking the core) does not move the figure.

#include <algorithm>
#include <chrono>
#include <vector>

namespace yolo::bench {

/// Calls `f` `warmup` times untimed, then `runs` times (at least once); the median in ms.
template <typename F>
double medianMs(int warmup, int runs, F&& f) {
  for (int i = 0; i < warmup; ++i) f();
  std::vector<double> ms;
  for (int i = 0; i < std::max(1, runs); ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

}  // namespace yolo::bench
