#pragma once
// Class-name files (`obj.names`, `mnist.names`, `classes.txt`): one name a line. Read by the
// data sets and the trainer, written by the generator, the YOLO txt export and the model
// exports.

#include <filesystem>
#include <string>
#include <vector>

namespace yolo {

/// Reads class names, one a line (surrounding spaces and a trailing '\r' trimmed, blank lines
/// skipped). Throws std::runtime_error naming the file when it cannot be read or has none.
std::vector<std::string> readClassNames(const std::filesystem::path& path);

/// Writes class names one a line, atomically. Throws std::invalid_argument when a name holds
/// a line break.
void writeClassNames(const std::filesystem::path& path, const std::vector<std::string>& names);

}  // namespace yolo
