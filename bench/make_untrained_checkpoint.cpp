// A checkpoint of an untrained network (bench/untrained_checkpoint.h) as a program, for
// bench_cold_start, which links no libtorch itself.
//   make_untrained_checkpoint ARCHITECTURE OUT.pt [inputSize=416]

#include <cstdio>
#include <exception>
#include <string>

#include "bench/untrained_checkpoint.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_untrained_checkpoint ARCHITECTURE OUT.pt [inputSize=416]\n");
    return 2;
  }
  try {
    yolo::bench::saveUntrainedCheckpoint(argv[2], argv[1], argc > 3 ? std::stoi(argv[3]) : 416);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_untrained_checkpoint: %s\n", e.what());
    return 1;
  }
  return 0;
}
