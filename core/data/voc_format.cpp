#include "core/data/voc_format.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <set>
#include <stdexcept>

#include "core/util/atomic_file.h"

namespace yolo::data {
namespace fs = std::filesystem;

namespace {

// A minimal XML element tree: enough for VOC files (elements and text), tolerant of what
// VOC writers add around them (declarations, comments, attributes, CDATA).
struct XmlNode {
  std::string name;
  std::string text;
  int line = 0;
  std::vector<std::unique_ptr<XmlNode>> children;

  const XmlNode* child(const std::string& n) const {
    for (const auto& c : children)
      if (c->name == n) return c.get();
    return nullptr;
  }
};

struct XmlError {
  int line;
  std::string message;
};

std::string trim(const std::string& s) {
  const std::size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string decodeEntities(const std::string& s) {
  static const std::pair<const char*, char> kEntities[] = {
      {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        const std::size_t n = std::char_traits<char>::length(entity);
        if (s.compare(i, n, entity) == 0) {
          out += c;
          i += n;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

class XmlReader {
 public:
  explicit XmlReader(const std::string& text) : s_(text) {}

  std::unique_ptr<XmlNode> parseDocument() {
    std::unique_ptr<XmlNode> root;
    while (true) {
      skipMisc();
      if (pos_ >= s_.size()) break;
      if (s_[pos_] != '<') fail("text outside the root element");
      if (root) fail("a second root element");
      root = parseElement(0);
    }
    if (!root) fail("no root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { throw XmlError{line_, message}; }

  void advance(std::size_t n) {
    for (std::size_t k = 0; k < n && pos_ < s_.size(); ++k)
      if (s_[pos_++] == '\n') ++line_;
  }

  bool startsWith(const char* prefix) const {
    return s_.compare(pos_, std::char_traits<char>::length(prefix), prefix) == 0;
  }

  void skipPast(const char* terminator, const char* what) {
    const std::size_t at = s_.find(terminator, pos_);
    if (at == std::string::npos) fail(std::string("unterminated ") + what);
    advance(at + std::char_traits<char>::length(terminator) - pos_);
  }

  // Whitespace, comments, declarations and processing instructions between elements.
  void skipMisc() {
    while (pos_ < s_.size()) {
      if (std::isspace(static_cast<unsigned char>(s_[pos_]))) {
        advance(1);
      } else if (startsWith("<!--")) {
        skipPast("-->", "comment");
      } else if (startsWith("<?")) {
        skipPast("?>", "processing instruction");
      } else if (startsWith("<!") && !startsWith("<![CDATA[")) {
        skipPast(">", "declaration");
      } else {
        break;
      }
    }
  }

  std::string readName() {
    const std::size_t begin = pos_;
    while (pos_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[pos_])) &&
           s_[pos_] != '>' && s_[pos_] != '/')
      advance(1);
    if (pos_ == begin) fail("expected an element name");
    return s_.substr(begin, pos_ - begin);
  }

  std::unique_ptr<XmlNode> parseElement(int depth) {
    if (depth > 256) fail("elements nested too deep");
    auto node = std::make_unique<XmlNode>();
    node->line = line_;
    advance(1);  // '<'
    node->name = readName();
    // Attributes are skipped; a quoted '>' must not end the tag.
    char quote = 0;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
      advance(1);
    }
    if (pos_ >= s_.size()) fail("unterminated tag <" + node->name + ">");
    const bool selfClosing = s_[pos_ - 1] == '/';
    advance(1);
    if (selfClosing) return node;

    std::string text;
    while (true) {
      if (pos_ >= s_.size())
        fail("element <" + node->name + "> opened on line " + std::to_string(node->line) +
             " is never closed");
      if (startsWith("</")) {
        advance(2);
        const std::string closing = readName();
        while (pos_ < s_.size() && s_[pos_] != '>') advance(1);
        if (closing != node->name)
          fail("</" + closing + "> closes <" + node->name + "> opened on line " +
               std::to_string(node->line));
        advance(1);
        break;
      }
      if (startsWith("<![CDATA[")) {
        advance(9);
        const std::size_t at = s_.find("]]>", pos_);
        if (at == std::string::npos) fail("unterminated CDATA section");
        text += s_.substr(pos_, at - pos_);
        advance(at + 3 - pos_);
      } else if (startsWith("<!--") || startsWith("<?") || startsWith("<!")) {
        skipMisc();
      } else if (s_[pos_] == '<') {
        node->children.push_back(parseElement(depth + 1));
      } else {
        const std::size_t at = std::min(s_.find('<', pos_), s_.size());
        text += decodeEntities(s_.substr(pos_, at - pos_));
        advance(at - pos_);
      }
    }
    node->text = trim(text);
    return node;
  }

  const std::string& s_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

struct VocObject {
  std::string name;
  Box box;
  int line;
};

struct VocFile {
  fs::path xml;
  fs::path image;
  std::vector<VocObject> objects;
};

}  // namespace

ImportResult importVoc(const fs::path& folder, const std::vector<std::string>& classNames) {
  const fs::path annotations = folder / "Annotations";
  if (!fs::is_directory(annotations))
    throw std::runtime_error(folder.string() + ": not a Pascal VOC folder (no Annotations/)");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(annotations)) {
    if (entry.is_regular_file() && entry.path().extension() == ".xml")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  ImportResult result;
  std::vector<VocFile> parsed;
  for (const fs::path& xml : files) {
    auto issue = [&](int line, const std::string& token, const std::string& message) {
      result.issues.push_back({xml, line, token, message});
      ++result.skippedImages;
    };
    std::unique_ptr<XmlNode> root;
    try {
      const std::string text = readTextFile(xml);
      root = XmlReader(text).parseDocument();
    } catch (const XmlError& e) {
      issue(e.line, "", "malformed XML: " + e.message);
      continue;
    } catch (const std::runtime_error& e) {
      issue(0, "", e.what());
      continue;
    }
    const XmlNode* filename = root->child("filename");
    if (filename == nullptr || filename->text.empty()) {
      issue(root->line, "<filename>", "missing <filename>");
      continue;
    }
    VocFile file{xml, folder / "JPEGImages" / filename->text, {}};
    if (!fs::is_regular_file(file.image)) {
      issue(filename->line, filename->text,
            "image file not found (looked for " + file.image.string() + ")");
      continue;
    }
    bool ok = true;
    for (const auto& child : root->children) {
      if (child->name != "object") continue;
      const XmlNode* name = child->child("name");
      const XmlNode* bndbox = child->child("bndbox");
      if (name == nullptr || name->text.empty() || bndbox == nullptr) {
        issue(child->line, "<object>", "object without <name> or <bndbox>");
        ok = false;
        break;
      }
      double v[4];
      static const char* const kFields[] = {"xmin", "ymin", "xmax", "ymax"};
      for (int f = 0; f < 4 && ok; ++f) {
        const XmlNode* field = bndbox->child(kFields[f]);
        if (field == nullptr) {
          issue(bndbox->line, "<bndbox>", std::string("missing <") + kFields[f] + ">");
          ok = false;
          break;
        }
        char* end = nullptr;
        v[f] = std::strtod(field->text.c_str(), &end);
        if (field->text.empty() || end != field->text.c_str() + field->text.size() ||
            !std::isfinite(v[f])) {
          issue(field->line, field->text, std::string("<") + kFields[f] + "> is not a number");
          ok = false;
        }
      }
      if (!ok) break;
      // VOC counts pixels from 1 and includes xmax: [xmin-1, xmax) in our convention.
      Box box{static_cast<float>(v[0] - 1), static_cast<float>(v[1] - 1), static_cast<float>(v[2]),
              static_cast<float>(v[3]), 0};
      if (box.x2 <= box.x1 || box.y2 <= box.y1 || box.x1 < 0 || box.y1 < 0) {
        issue(bndbox->line, "<bndbox>",
              "empty or negative box (expected 1 <= xmin <= xmax and 1 <= ymin <= ymax)");
        ok = false;
        break;
      }
      // VOC's devkit reads <difficult> as an integer; absent means 0.
      if (const XmlNode* difficult = child->child("difficult");
          difficult != nullptr && std::atoi(difficult->text.c_str()) != 0)
        box.kind = Box::Kind::difficult;
      file.objects.push_back({name->text, box, child->line});
    }
    if (ok) parsed.push_back(std::move(file));
  }

  result.classNames = classNames;
  if (result.classNames.empty()) {
    std::set<std::string> names;
    for (const auto& file : parsed)
      for (const auto& object : file.objects) names.insert(object.name);
    result.classNames.assign(names.begin(), names.end());
  }
  for (auto& file : parsed) {
    Sample sample{file.image, {}};
    bool ok = true;
    for (const auto& object : file.objects) {
      const auto it = std::find(result.classNames.begin(), result.classNames.end(), object.name);
      if (it == result.classNames.end()) {
        result.issues.push_back(
            {file.xml, object.line, object.name, "class name not in the class list"});
        ok = false;
        break;
      }
      Box box = object.box;
      box.classId = static_cast<int>(it - result.classNames.begin());
      sample.boxes.push_back(box);
    }
    if (!ok) {
      ++result.skippedImages;
      continue;
    }
    result.samples.push_back(std::move(sample));
  }
  return result;
}

}  // namespace yolo::data
