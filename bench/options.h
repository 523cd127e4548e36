#pragma once
// The benchmarks' command lines: `--name value` pairs, checked the same way everywhere; a bad
// one ends the program through the benchmark's own usage message.

#include <stdexcept>
#include <string>

namespace yolo::bench {

/// Calls handle(name, value) for each `--name value` pair of argv, in order; a name without
/// a value calls `usage(problem)`, which must not return.
template <typename Usage, typename Handle>
void forEachOption(int argc, char** argv, Usage&& usage, Handle&& handle) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) usage("missing value after " + arg);
    handle(arg, std::string(argv[++i]));
  }
}

/// `value` of option `arg` as an int of at least `min`. Otherwise calls `usage(problem)`,
/// which must not return (it prints the usage line and exits).
template <typename Usage>
int intOption(const std::string& arg, const std::string& value, int min, Usage&& usage) {
  int n = 0;
  try {
    n = std::stoi(value);
  } catch (const std::logic_error&) {
    usage(arg + " needs a number, got '" + value + "'");
  }
  if (n < min) usage(arg + " must be at least " + std::to_string(min));
  return n;
}

}  // namespace yolo::bench
