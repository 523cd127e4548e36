#include "app/cli/progress_line.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <unistd.h>

namespace yolo::cli {

ProgressLine::ProgressLine() : terminal_(::isatty(STDERR_FILENO) != 0) {}

void ProgressLine::update(const std::string& text, bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    std::cerr << "\r\033[K" << text << std::flush;
    dirty_ = true;
  } else if (force || now - lastPrint_ > std::chrono::seconds(5)) {
    std::cerr << text << "\n" << std::flush;
    lastPrint_ = now;
  }
}

void ProgressLine::finish() {
  if (terminal_ && dirty_) std::cerr << "\n" << std::flush;
  dirty_ = false;
}

void ProgressLine::message(const std::string& text) {
  if (terminal_ && dirty_) std::cerr << "\r\033[K";
  std::cerr << text << "\n" << std::flush;
  dirty_ = false;
}

std::string progressBar(double fraction, int width) {
  const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width);
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

}  // namespace yolo::cli
