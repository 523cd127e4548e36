#pragma once
// How the CLI's progress line and the Train view write a duration (ETA, epoch time), so the
// two never disagree.

#include <string>

namespace yolo {

/// "1h02m", "3m05s", "42s"; "?" for a negative or non-finite value (not known yet).
std::string formatDuration(double seconds);

}  // namespace yolo
