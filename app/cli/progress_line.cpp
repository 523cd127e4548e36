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

std::string formatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char buffer[32];
  if (s >= 3600) {
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  } else if (s >= 60) {
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%lds", s);
  }
  return buffer;
}

std::string progressBar(double fraction, int width) {
  const int filled = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * width);
  return "[" + std::string(filled, '#') + std::string(width - filled, '.') + "]";
}

}  // namespace yolo::cli
