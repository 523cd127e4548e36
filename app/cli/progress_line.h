#pragma once
// A one-line progress display on stderr, redrawn in place when stderr is a terminal and
// printed every few seconds otherwise (logs of CI jobs and servers stay readable).

#include <chrono>
#include <string>

namespace yolo::cli {

class ProgressLine {
 public:
  ProgressLine();
  /// Shows `text`; on a non-terminal only every `logInterval` seconds unless `force`.
  void update(const std::string& text, bool force = false);
  /// Ends the in-place line so the next output starts on a fresh line.
  void finish();
  /// Prints a message on its own line without disturbing the progress line.
  void message(const std::string& text);

 private:
  bool terminal_;
  bool dirty_ = false;
  std::chrono::steady_clock::time_point lastPrint_;
};

/// "[#####.....]" of `width` cells.
std::string progressBar(double fraction, int width = 24);

}  // namespace yolo::cli
