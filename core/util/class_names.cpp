#include "core/util/class_names.h"

#include <fstream>
#include <stdexcept>

#include "core/util/atomic_file.h"

namespace yolo {

namespace fs = std::filesystem;

std::vector<std::string> readClassNames(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path))
    throw std::runtime_error(path.string() + ": cannot open class-names file");
  std::vector<std::string> names;
  std::string line;
  int lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    // Text has no NUL and no other control bytes but tab and CR; an image or a weights file
    // given by mistake has them at once. (Bytes >= 0x80 are UTF-8 names, kept.)
    for (const unsigned char c : line)
      if (c < 0x20 && c != '\t' && c != '\r')
        throw std::runtime_error(path.string() + ":" + std::to_string(lineNumber) +
                                 ": not a text file (a class-names file has one name per line)");
    const std::size_t b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    const std::size_t e = line.find_last_not_of(" \t\r");
    names.push_back(line.substr(b, e - b + 1));
  }
  if (names.empty()) throw std::runtime_error(path.string() + ": no class names in the file");
  return names;
}

void writeClassNames(const fs::path& path, const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) {
    if (name.find('\n') != std::string::npos)
      throw std::invalid_argument(path.string() + ": class name holds a line break");
    text += name + "\n";
  }
  writeTextAtomically(path, text);
}

}  // namespace yolo
