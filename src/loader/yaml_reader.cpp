#include "yaml_reader.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "berth/loader/diagnostics.h"
#include "yaml_cache.h"

namespace berth::loader {
namespace {

SourceMark make_mark(const std::string& file, int line, int column) {
  return SourceMark{file, line, column};
}

// yaml-cpp reports a tab in indentation as some unrelated syntax error; find
// the tab-indented line closest before the error so the message can say what
// is wrong (tabs inside block scalars earlier in the file are legal).
std::optional<SourceMark> find_indentation_tab(std::string_view content, int up_to_line,
                                               const std::string& file) {
  std::optional<SourceMark> closest;
  int line = 1;
  std::size_t start = 0;
  while (start <= content.size() && line <= up_to_line) {
    std::size_t end = content.find('\n', start);
    if (end == std::string_view::npos) end = content.size();
    for (std::size_t i = start; i < end; ++i) {
      if (content[i] == '\t') {
        closest = make_mark(file, line, static_cast<int>(i - start) + 1);
        break;
      }
      if (content[i] != ' ') break;
    }
    start = end + 1;
    ++line;
  }
  return closest;
}

// yaml-cpp accepts a quoted scalar that runs to the end of the input
// (`image: "nginx` as the last line) as if it were closed.
bool quote_is_closed(std::string_view content, std::size_t open) {
  const char quote = content[open];
  for (std::size_t i = open + 1; i < content.size(); ++i) {
    if (quote == '"' && content[i] == '\\') {
      ++i;
    } else if (content[i] == quote) {
      if (quote == '\'' && i + 1 < content.size() && content[i + 1] == '\'') ++i;  // '' escape
      else return true;
    }
  }
  return false;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(std::string_view content, const std::string& file, const ReadLimits& limits)
      : content_(content), file_(file), limits_(limits) {}

  std::vector<Node> take_documents() { return std::move(documents_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    // On some stray characters (e.g. a leading ',') yaml-cpp reports empty
    // documents forever without consuming input: stop at the second
    // document that starts where the previous one did.
    if (last_document_start_ && *last_document_start_ == mark.pos) {
      std::string what = "unexpected content";
      if (mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < content_.size())
        what = std::string("unexpected character '") + content_[static_cast<std::size_t>(mark.pos)] + "'";
      throw config_error(to_mark(mark), "invalid YAML: " + what);
    }
    last_document_start_ = mark.pos;
    stack_.clear();
    anchors_.clear();
    root_.reset();
  }

  void OnDocumentEnd() override {
    if (root_) documents_.push_back(std::move(*root_));
    root_.reset();
  }

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    count_nodes(1, mark);
    complete(Node::null(to_mark(mark)), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      for (const auto& frame : stack_)
        if (frame.anchor == anchor)
          throw config_error(to_mark(mark), "recursive alias: the anchored node contains itself");
      throw config_error(to_mark(mark), "alias refers to an undefined anchor");
    }
    count_nodes(it->second.size, mark);
    if (stack_.size() + it->second.height > limits_.max_depth) too_deep(mark);
    complete(it->second.node, 0, it->second.height, it->second.size);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    count_nodes(1, mark);
    if (tag == "!" && mark.pos >= 0 && static_cast<std::size_t>(mark.pos) < content_.size()) {
      const auto open = static_cast<std::size_t>(mark.pos);
      if ((content_[open] == '"' || content_[open] == '\'') && !quote_is_closed(content_, open))
        throw config_error(to_mark(mark), std::string("invalid YAML: unterminated quoted string (missing closing ") +
                                              content_[open] + ")");
    }
    Node::Tag compose_tag = Node::Tag::None;
    Node::Style style = scalar_style(tag, mark, compose_tag);
    Node node;
    // `key: !reset` arrives as an empty scalar carrying the tag: it means null.
    if (compose_tag != Node::Tag::None && (value.empty() || value == "null" || value == "~"))
      node = Node::null(to_mark(mark));
    else
      node = Node::scalar(value, style, to_mark(mark));
    node.set_tag(compose_tag);
    complete(std::move(node), anchor, 1);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(Node::sequence(to_mark(mark)), tag, anchor, mark);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(Node::mapping(to_mark(mark)), tag, anchor, mark);
  }
  void OnMapEnd() override {
    if (!stack_.empty() && stack_.back().has_key)
      throw config_error(stack_.back().key_mark, "mapping key without a value");
    close();
  }

 private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::size_t nodes_at_open = 0;
    std::size_t child_height = 0;
    bool has_key = false;
    std::string key;
    SourceMark key_mark;
    std::unordered_map<std::string, int> key_lines;  // only for large mappings
  };
  struct Anchored {
    Node node;
    std::size_t size = 0;
    std::size_t height = 0;
  };

  SourceMark to_mark(const YAML::Mark& m) const { return make_mark(file_, m.line + 1, m.column + 1); }

  Node::Style scalar_style(const std::string& tag, const YAML::Mark& mark, Node::Tag& compose_tag) {
    if (tag == "?") return Node::Style::Plain;
    if (tag == "!") return Node::Style::Quoted;
    if (tag == "tag:yaml.org,2002:str") return Node::Style::Quoted;
    if (tag.rfind("tag:yaml.org,2002:", 0) == 0) return Node::Style::Plain;
    compose_tag = compose_tag_of(tag, mark);
    return Node::Style::Plain;
  }

  Node::Tag compose_tag_of(const std::string& tag, const YAML::Mark& mark) {
    if (tag == "?" || tag == "!" || tag.rfind("tag:yaml.org,2002:", 0) == 0) return Node::Tag::None;
    if (tag == "!reset") return Node::Tag::Reset;
    if (tag == "!override") return Node::Tag::Override;
    throw config_error(to_mark(mark),
                       "unsupported YAML tag \"" + tag + "\" (compose knows !reset and !override)");
  }

  void count_nodes(std::size_t n, const YAML::Mark& mark) {
    nodes_ += n;
    if (nodes_ > limits_.max_nodes)
      throw config_error(to_mark(mark),
                         "document too large: more than " + std::to_string(limits_.max_nodes) +
                             " nodes after expanding aliases (an alias bomb?)");
  }

  [[noreturn]] void too_deep(const YAML::Mark& mark) {
    throw config_error(to_mark(mark), "nesting too deep: more than " +
                                          std::to_string(limits_.max_depth) + " levels");
  }

  void open(Node node, const std::string& tag, YAML::anchor_t anchor, const YAML::Mark& mark) {
    count_nodes(1, mark);
    node.set_tag(compose_tag_of(tag, mark));
    if (stack_.size() + 1 > limits_.max_depth) too_deep(mark);
    Frame frame;
    frame.node = std::move(node);
    frame.anchor = anchor;
    frame.nodes_at_open = nodes_ - 1;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(frame.node), frame.anchor, frame.child_height + 1, nodes_ - frame.nodes_at_open);
  }

  // A finished node goes to its parent: as a key, a value or an item.
  void complete(Node node, YAML::anchor_t anchor, std::size_t height, std::size_t size = 1) {
    if (anchor != 0) anchors_[anchor] = Anchored{node, size, height};
    if (stack_.empty()) {
      root_ = std::move(node);
      return;
    }
    Frame& parent = stack_.back();
    if (height > parent.child_height) parent.child_height = height;
    if (parent.node.is_sequence()) {
      parent.node.push_back(std::move(node));
      return;
    }
    if (!parent.has_key) {
      if (!node.is_scalar())
        throw config_error(node.mark(), node.is_null() ? "mapping key must not be null"
                                                       : "mapping key must be a string");
      parent.has_key = true;
      parent.key = node.text();
      parent.key_mark = node.mark();
      return;
    }
    check_duplicate(parent);
    // yaml-cpp marks an empty value (`key:` then newline) at the next token,
    // which may be lines away; the key is where the user wrote it.
    if (node.is_null() && node.mark().line != parent.key_mark.line) node.set_mark(parent.key_mark);
    parent.node.entries().push_back(
        Node::Entry{std::move(parent.key), std::move(parent.key_mark), std::move(node)});
    parent.has_key = false;
  }

  void check_duplicate(Frame& parent) {
    // Small mappings are searched; big ones (services of a large project)
    // get an index so reading stays linear.
    constexpr std::size_t kLinearLimit = 16;
    auto& entries = parent.node.entries();
    std::optional<int> first_line;
    if (entries.size() < kLinearLimit) {
      for (const auto& e : entries)
        if (e.key == parent.key) first_line = e.key_mark.line;
    } else {
      if (parent.key_lines.empty())
        for (const auto& e : entries) parent.key_lines.emplace(e.key, e.key_mark.line);
      auto [it, inserted] = parent.key_lines.emplace(parent.key, parent.key_mark.line);
      if (!inserted) first_line = it->second;
    }
    if (first_line)
      throw config_error(parent.key_mark, "duplicate key \"" + parent.key +
                                              "\" (already defined at line " +
                                              std::to_string(*first_line) + ")");
  }

  std::string_view content_;
  const std::string& file_;
  const ReadLimits& limits_;
  std::optional<int> last_document_start_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  std::optional<Node> root_;
  std::vector<Node> documents_;
  std::size_t nodes_ = 0;
};

}  // namespace

// Columns count bytes.
SourceMark mark_of_offset(std::string_view content, std::size_t offset, const std::string& file) {
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < content.size(); ++i) {
    if (content[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return make_mark(file, line, static_cast<int>(offset - line_start) + 1);
}

void check_text(std::string_view content, const std::string& file, std::string_view kind) {
  std::size_t i = 0;
  const std::size_t n = content.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(content[i]);
    if (c < 0x80) {
      if (c == 0)
        throw config_error(mark_of_offset(content, i, file),
                           "NUL byte in " + std::string(kind) + ": this is not a text file");
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        throw config_error(mark_of_offset(content, i, file),
                           "control character (byte " + std::to_string(c) +
                               ") in " + std::string(kind) + ": this is not a text file");
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) len = 2, min = 0x80;
    else if ((c & 0xF0) == 0xE0) len = 3, min = 0x800;
    else if ((c & 0xF8) == 0xF0) len = 4, min = 0x10000;
    bool valid = len != 0 && i + len <= n;
    std::uint32_t cp = len ? (c & (0x7F >> len)) : 0;
    for (std::size_t k = 1; valid && k < len; ++k) {
      const auto cc = static_cast<unsigned char>(content[i + k]);
      if ((cc & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (valid && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) valid = false;
    if (!valid)
      throw config_error(mark_of_offset(content, i, file),
                         "invalid UTF-8 in " + std::string(kind) + " (" + std::string(kind) + "s must be UTF-8 text)");
    i += len;
  }
}


std::vector<Node> read_yaml_documents(std::string_view content, const std::string& file_name,
                                      const ReadLimits& limits) {
  if (content.size() > limits.max_bytes)
    throw config_error(SourceMark{file_name}, "file too large (" + std::to_string(content.size()) +
                                                  " bytes, the limit is " +
                                                  std::to_string(limits.max_bytes) + ")");
  check_text(content, file_name);

  std::vector<Node> raw;
  {
    std::istringstream in{std::string(content)};
    YAML::Parser parser(in);
    TreeBuilder builder(content, file_name, limits);
    try {
      while (parser.HandleNextDocument(builder)) {
      }
    } catch (const YAML::Exception& e) {
      const int line = e.mark.is_null() ? 0 : e.mark.line + 1;
      if (auto tab = find_indentation_tab(content, line > 0 ? line : 1 << 30, file_name))
        throw config_error(*tab, "found a tab character in indentation; YAML indentation must use spaces");
      SourceMark where{file_name, line, e.mark.is_null() ? 0 : e.mark.column + 1};
      throw config_error(where, "invalid YAML: " + e.msg);
    }
    raw = builder.take_documents();
  }

  std::vector<Node> documents;
  for (auto& doc : raw) {
    if (doc.is_null()) continue;
    if (!doc.is_mapping())
      throw config_error(doc.mark(), "top-level object must be a mapping");
    documents.push_back(std::move(doc));
  }
  if (documents.empty()) throw config_error(SourceMark{file_name}, "empty compose file");
  return documents;
}

std::string read_text_file(const std::string& path, std::size_t max_bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    throw Error(ErrorKind::Config, path + ": no such file or directory");
  if (fs::is_directory(status)) throw Error(ErrorKind::Config, path + ": is a directory");
  if (fs::is_regular_file(status)) {
    const auto size = fs::file_size(path, ec);
    if (!ec && size > max_bytes)
      throw Error(ErrorKind::Config, path + ": file too large (" + std::to_string(size) +
                                         " bytes, the limit is " + std::to_string(max_bytes) + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::Config, path + ": cannot open file");
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw Error(ErrorKind::Config, path + ": file too large (the limit is " +
                                         std::to_string(max_bytes) + " bytes)");
  }
  return text;
}

std::vector<Node> read_yaml_file(const std::string& path, const ReadLimits& limits) {
  const std::string content = read_text_file(path, limits.max_bytes);
  if (auto cached = cached_yaml_documents(content, path, limits)) return std::move(*cached);
  std::vector<Node> documents = read_yaml_documents(content, path, limits);
  cache_yaml_documents(content, documents, limits);
  return documents;
}

Node read_yaml(std::string_view content, const std::string& file_name, const ReadLimits& limits) {
  auto documents = read_yaml_documents(content, file_name, limits);
  if (documents.size() > 1)
    throw config_error(documents[1].mark(),
                       "expected a single YAML document, found " + std::to_string(documents.size()));
  return std::move(documents.front());
}

std::vector<Node> read_documents(const ConfigFile& file) {
  if (file.content) return read_yaml_documents(*file.content, file.display_name());
  return read_yaml_file(file.path);
}

}  // namespace berth::loader
