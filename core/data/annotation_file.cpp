#include "core/data/annotation_file.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>

#include "core/util/atomic_file.h"
#include "core/util/image_file.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

struct Token {
  std::size_t begin;
  std::size_t end;
};

std::vector<Token> tokenize(const std::string& line) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isSpace(line[i])) ++i;
    if (i == line.size()) break;
    const std::size_t begin = i;
    while (i < line.size() && !isSpace(line[i])) ++i;
    tokens.push_back({begin, i});
  }
  return tokens;
}

bool parseFloat(const std::string& text, float& value) {
  if (text.empty() || isSpace(text[0])) return false;
  char* end = nullptr;
  value = std::strtof(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(value);
}

bool parseInt(const std::string& text, int& value) {
  if (text.empty() || isSpace(text[0])) return false;
  char* end = nullptr;
  errno = 0;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() || errno == ERANGE || v < INT32_MIN || v > INT32_MAX)
    return false;
  value = static_cast<int>(v);
  return true;
}

std::vector<std::string> splitOn(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    const std::size_t at = text.find(sep, begin);
    parts.push_back(text.substr(begin, at - begin));
    if (at == std::string::npos) break;
    begin = at + 1;
  }
  return parts;
}

/// A box starts like a number, or has the five fields of one and ends in a class id: so
/// "nan,10,50,50,1" is a malformed box, not more of a file name with spaces.
bool looksLikeBox(const std::string& token) {
  if (token.empty() || token.find(',') == std::string::npos) return false;
  const char c = token[0];
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') return true;
  const std::vector<std::string> fields = splitOn(token, ',');
  int classId = 0;
  return fields.size() == 5 && parseInt(fields[4], classId);
}

std::string formatNumber(float v) {
  if (std::nearbyint(v) == v && std::fabs(v) < 1e7f) return std::to_string(static_cast<long>(v));
  std::ostringstream out;
  out.precision(9);
  out << v;
  return out.str();
}

// Absolute, normalised, without a trailing separator: comparable folder paths.
fs::path canonicalFolder(const fs::path& dir) {
  fs::path p = fs::absolute(dir.empty() ? fs::path(".") : dir).lexically_normal();
  if (p.has_relative_path() && p.filename().empty()) p = p.parent_path();
  return p;
}

}  // namespace

std::string toString(const LoadIssue& issue) {
  std::string s = issue.file.string();
  if (issue.line > 0) s += ":" + std::to_string(issue.line);
  s += ": ";
  if (!issue.token.empty()) s += "'" + issue.token + "': ";
  return s + issue.message;
}

bool parseAnnotationLine(const std::string& line, const fs::path& file, int lineNumber,
                         Sample& sample, std::vector<LoadIssue>& issues) {
  const std::vector<Token> tokens = tokenize(line);
  auto text = [&](const Token& t) { return line.substr(t.begin, t.end - t.begin); };
  if (tokens.empty()) {
    issues.push_back({file, lineNumber, "", "empty line: expected an image path"});
    return false;
  }
  std::size_t firstBox = tokens.size();
  for (std::size_t k = 1; k < tokens.size(); ++k) {
    if (looksLikeBox(text(tokens[k]))) {
      firstBox = k;
      break;
    }
  }
  sample = Sample{};
  sample.image = line.substr(tokens[0].begin, tokens[firstBox - 1].end - tokens[0].begin);

  bool ok = true;
  for (std::size_t k = firstBox; k < tokens.size(); ++k) {
    const std::string token = text(tokens[k]);
    auto issue = [&](const std::string& message) {
      issues.push_back({file, lineNumber, token, message});
      ok = false;
    };
    const std::vector<std::string> fields = splitOn(token, ',');
    if (fields.size() != 5) {
      issue("malformed box: expected x1,y1,x2,y2,class (5 comma-separated numbers), got " +
            std::to_string(fields.size()) + " fields");
      continue;
    }
    Box box;
    float* coords[] = {&box.x1, &box.y1, &box.x2, &box.y2};
    static const char* const kNames[] = {"x1", "y1", "x2", "y2"};
    bool numeric = true;
    for (int f = 0; f < 4 && numeric; ++f) {
      if (!parseFloat(fields[f], *coords[f])) {
        issue(std::string("malformed box: ") + kNames[f] + " '" + fields[f] + "' is not a number");
        numeric = false;
      }
    }
    if (!numeric) continue;
    if (!parseInt(fields[4], box.classId)) {
      issue("malformed box: class id '" + fields[4] + "' is not an integer");
      continue;
    }
    if (box.classId < 0) {
      issue("class id " + fields[4] + " is negative");
      continue;
    }
    if (box.x2 <= box.x1 || box.y2 <= box.y1) {
      issue("empty box: expected x2 > x1 and y2 > y1");
      continue;
    }
    if (box.x1 < 0 || box.y1 < 0) {
      issue("box outside the image: negative coordinate");
      continue;
    }
    sample.boxes.push_back(box);
  }
  return ok;
}

AnnotationLoadResult readAnnotationFile(const fs::path& file,
                                        const AnnotationReadOptions& options) {
  if (fs::is_directory(file))
    throw std::runtime_error(file.string() + ": is a folder, expected an annotation file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot open annotation file");

  AnnotationLoadResult result;
  const fs::path base = file.parent_path();
  std::string line;
  int lineNumber = 0;
  while (std::getline(in, line)) {
    ++lineNumber;
    if (tokenize(line).empty()) continue;
    Sample sample;
    if (!parseAnnotationLine(line, file, lineNumber, sample, result.issues)) {
      ++result.skippedLines;
      continue;
    }
    const std::string written = sample.image.string();
    if (sample.image.is_relative()) sample.image = (base / sample.image).lexically_normal();

    bool ok = true;
    auto issue = [&](const std::string& token, const std::string& message) {
      result.issues.push_back({file, lineNumber, token, message});
      ok = false;
    };
    if (options.numClasses > 0) {
      for (const Box& box : sample.boxes)
        if (box.classId >= options.numClasses)
          issue(std::to_string(box.classId),
                "class id beyond the class names (" + std::to_string(options.numClasses) +
                    " classes: expected 0.." + std::to_string(options.numClasses - 1) + ")");
    }
    std::error_code ec;
    const bool exists = fs::is_regular_file(sample.image, ec);
    if (options.checkImagesExist && !exists)
      issue(written, "image file not found (looked for " + sample.image.string() + ")");
    if (options.checkBoxesInsideImage && exists) {
      const cv::Size size = readImageSize(sample.image);
      if (size.empty()) {
        issue(written, "cannot read the image size");
      } else {
        for (const Box& box : sample.boxes)
          if (box.x2 > size.width || box.y2 > size.height)
            issue(formatNumber(box.x1) + "," + formatNumber(box.y1) + "," + formatNumber(box.x2) +
                      "," + formatNumber(box.y2) + "," + std::to_string(box.classId),
                  "box outside the image (" + std::to_string(size.width) + "x" +
                      std::to_string(size.height) + ")");
      }
    }
    if (!ok) {
      ++result.skippedLines;
      continue;
    }
    result.samples.push_back(std::move(sample));
  }
  if (in.bad()) throw std::runtime_error(file.string() + ": read error");
  return result;
}

std::string formatAnnotationLine(const Sample& sample, const fs::path& baseDir) {
  fs::path image = sample.image;
  if (!image.empty()) {
    const fs::path base = canonicalFolder(baseDir);
    const fs::path absolute = fs::absolute(image).lexically_normal();
    const fs::path relative = absolute.lexically_relative(base);
    const bool inside = !relative.empty() && *relative.begin() != "..";
    image = inside ? relative : absolute;
  }
  const std::string path = image.string();
  auto bad = [&](const std::string& why) {
    throw std::invalid_argument("cannot write image path '" + path +
                                "' in an annotation file: " + why);
  };
  if (path.empty()) bad("empty path");
  if (path.find('\n') != std::string::npos || path.find('\r') != std::string::npos)
    bad("it holds a line break");
  if (isSpace(path.front()) || isSpace(path.back())) bad("it starts or ends with a space");
  const std::vector<Token> tokens = tokenize(path);
  for (std::size_t k = 1; k < tokens.size(); ++k)
    if (looksLikeBox(path.substr(tokens[k].begin, tokens[k].end - tokens[k].begin)))
      bad("a part after a space would read as a box");

  std::string line = path;
  for (const Box& b : sample.boxes) {
    line += ' ';
    line += formatNumber(b.x1) + ',' + formatNumber(b.y1) + ',' + formatNumber(b.x2) + ',' +
            formatNumber(b.y2) + ',' + std::to_string(b.classId);
  }
  return line;
}

void writeAnnotationFile(const fs::path& file, const std::vector<Sample>& samples) {
  // Format everything first: a sample that cannot be written leaves the old file alone.
  std::string text;
  const fs::path base = file.parent_path();
  for (const Sample& sample : samples) text += formatAnnotationLine(sample, base) + "\n";
  writeTextAtomically(file, text);
}

}  // namespace yolo::data
