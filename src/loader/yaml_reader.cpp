#include "berth/loader/yaml_reader.h"

#include <yaml.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "berth/loader/diagnostics.h"

namespace berth::loader {
namespace {

SourceMark make_mark(const std::string& file, int line, int column) {
  return SourceMark{file, line, column};
}

// Where in `content` the byte at `offset` is, 1-based, columns in bytes.
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

// Binary data gives a YAML parser nothing sensible to say; refuse it up
// front with the position of the first offending byte.
void check_text(std::string_view content, const std::string& file) {
  std::size_t i = 0;
  const std::size_t n = content.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(content[i]);
    if (c < 0x80) {
      if (c == 0)
        throw config_error(mark_of_offset(content, i, file),
                           "NUL byte in compose file: this is not a text file");
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
        throw config_error(mark_of_offset(content, i, file),
                           "control character (byte " + std::to_string(c) +
                               ") in compose file: this is not a text file");
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
                         "invalid UTF-8 in compose file (compose files must be UTF-8 text)");
    i += len;
  }
}

// A YAML parser reports a tab in indentation as some unrelated syntax error; find
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

std::string_view text_of(const yaml_char_t* text) {
  return text ? std::string_view(reinterpret_cast<const char*>(text)) : std::string_view();
}

// Builds Node trees from libyaml's parser events.
class TreeBuilder {
 public:
  TreeBuilder(const std::string& file, const ReadLimits& limits) : file_(file), limits_(limits) {}

  std::vector<Node> take_documents() { return std::move(documents_); }

  void handle(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_DOCUMENT_START_EVENT:
        stack_.clear();
        anchors_.clear();
        root_.reset();
        break;
      case YAML_DOCUMENT_END_EVENT:
        if (root_) documents_.push_back(std::move(*root_));
        root_.reset();
        break;
      case YAML_ALIAS_EVENT:
        alias(event);
        break;
      case YAML_SCALAR_EVENT:
        scalar(event);
        break;
      case YAML_SEQUENCE_START_EVENT:
        open(Node::sequence(to_mark(event.start_mark)), text_of(event.data.sequence_start.tag),
             text_of(event.data.sequence_start.anchor), event.start_mark);
        break;
      case YAML_MAPPING_START_EVENT:
        open(Node::mapping(to_mark(event.start_mark)), text_of(event.data.mapping_start.tag),
             text_of(event.data.mapping_start.anchor), event.start_mark);
        break;
      case YAML_SEQUENCE_END_EVENT:
        close();
        break;
      case YAML_MAPPING_END_EVENT:
        if (!stack_.empty() && stack_.back().has_key)
          throw config_error(stack_.back().key_mark, "mapping key without a value");
        close();
        break;
      default:
        break;
    }
  }

 private:
  struct Frame {
    Node node;
    std::string anchor;  // "" = none
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

  SourceMark to_mark(const yaml_mark_t& m) const {
    return make_mark(file_, static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1);
  }

  void alias(const yaml_event_t& event) {
    const std::string anchor(text_of(event.data.alias.anchor));
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      for (const auto& frame : stack_)
        if (frame.anchor == anchor)
          throw config_error(to_mark(event.start_mark), "recursive alias: the anchored node contains itself");
      throw config_error(to_mark(event.start_mark), "alias *" + anchor + " refers to an undefined anchor");
    }
    count_nodes(it->second.size, event.start_mark);
    if (stack_.size() + it->second.height > limits_.max_depth) too_deep(event.start_mark);
    complete(it->second.node, {}, it->second.height, it->second.size);
  }

  void scalar(const yaml_event_t& event) {
    count_nodes(1, event.start_mark);
    const auto& data = event.data.scalar;
    const std::string_view tag = text_of(data.tag);
    const std::string_view value(reinterpret_cast<const char*>(data.value), data.length);
    const bool plain = data.style == YAML_PLAIN_SCALAR_STYLE || data.style == YAML_ANY_SCALAR_STYLE;
    Node::Tag compose_tag = Node::Tag::None;
    Node::Style style = plain ? Node::Style::Plain : Node::Style::Quoted;
    if (!tag.empty()) {
      if (tag == "!" || tag == "tag:yaml.org,2002:str") style = Node::Style::Quoted;
      else if (tag.starts_with("tag:yaml.org,2002:")) style = Node::Style::Plain;
      else compose_tag = compose_tag_of(tag, event.start_mark);
    }
    const bool null_text = value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
    Node node;
    // A plain null (`key:`, `~`, `null`) is a null node, and `key: !reset`
    // arrives as an empty scalar carrying the tag: it means null too.
    if (null_text && plain && (tag.empty() || compose_tag != Node::Tag::None))
      node = Node::null(to_mark(event.start_mark));
    else
      node = Node::scalar(std::string(value), style, to_mark(event.start_mark));
    node.set_tag(compose_tag);
    // An empty value (`key:`) is marked where its key is.
    empty_value_ = value.empty() && plain;
    complete(std::move(node), text_of(data.anchor), 1);
    empty_value_ = false;
  }

  Node::Tag compose_tag_of(std::string_view tag, const yaml_mark_t& mark) const {
    if (tag.empty() || tag == "!" || tag.starts_with("tag:yaml.org,2002:")) return Node::Tag::None;
    if (tag == "!reset") return Node::Tag::Reset;
    if (tag == "!override") return Node::Tag::Override;
    throw config_error(to_mark(mark),
                       "unsupported YAML tag \"" + std::string(tag) + "\" (compose knows !reset and !override)");
  }

  void count_nodes(std::size_t n, const yaml_mark_t& mark) {
    nodes_ += n;
    if (nodes_ > limits_.max_nodes)
      throw config_error(to_mark(mark),
                         "document too large: more than " + std::to_string(limits_.max_nodes) +
                             " nodes after expanding aliases (an alias bomb?)");
  }

  [[noreturn]] void too_deep(const yaml_mark_t& mark) const {
    throw config_error(to_mark(mark), "nesting too deep: more than " +
                                          std::to_string(limits_.max_depth) + " levels");
  }

  void open(Node node, std::string_view tag, std::string_view anchor, const yaml_mark_t& mark) {
    count_nodes(1, mark);
    node.set_tag(compose_tag_of(tag, mark));
    if (stack_.size() + 1 > limits_.max_depth) too_deep(mark);
    Frame frame;
    frame.node = std::move(node);
    frame.anchor = std::string(anchor);
    frame.nodes_at_open = nodes_ - 1;
    stack_.push_back(std::move(frame));
  }

  void close() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    complete(std::move(frame.node), frame.anchor, frame.child_height + 1, nodes_ - frame.nodes_at_open);
  }

  // A finished node goes to its parent: as a key, a value or an item.
  void complete(Node node, std::string_view anchor, std::size_t height, std::size_t size = 1) {
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchored{node, size, height};
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
    // An empty value (`key:` then newline) has no position of its own; the
    // key is where the user wrote it.
    if (node.is_null() && (empty_value_ || node.mark().line != parent.key_mark.line))
      node.set_mark(parent.key_mark);
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

  const std::string& file_;
  const ReadLimits& limits_;
  std::vector<Frame> stack_;
  std::unordered_map<std::string, Anchored> anchors_;
  std::optional<Node> root_;
  std::vector<Node> documents_;
  std::size_t nodes_ = 0;
  bool empty_value_ = false;  // the scalar being completed is an empty plain one
};

// libyaml's parser state, released on every path.
class Parser {
 public:
  Parser(std::string_view content) {
    if (!yaml_parser_initialize(&parser_)) throw Error(ErrorKind::Internal, "cannot initialize the YAML parser");
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  }
  ~Parser() { yaml_parser_delete(&parser_); }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  yaml_parser_t& get() { return parser_; }

 private:
  yaml_parser_t parser_;
};

class Event {
 public:
  Event() = default;
  ~Event() {
    if (filled_) yaml_event_delete(&event_);
  }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  bool next(yaml_parser_t& parser) {
    if (filled_) yaml_event_delete(&event_);
    filled_ = yaml_parser_parse(&parser, &event_) != 0;
    return filled_;
  }
  const yaml_event_t& get() const { return event_; }

 private:
  yaml_event_t event_{};
  bool filled_ = false;
};

// A positioned error for a parser failure, worded for people.
[[noreturn]] void throw_parse_error(const yaml_parser_t& parser, std::string_view content, const std::string& file) {
  const std::string problem = parser.problem ? parser.problem : "malformed input";
  const std::string context = parser.context ? parser.context : "";
  if (parser.error == YAML_READER_ERROR)
    throw config_error(mark_of_offset(content, parser.problem_offset, file), "invalid YAML: " + problem);
  const int line = static_cast<int>(parser.problem_mark.line) + 1;
  if (context == "while scanning a block scalar" && problem.find("tab character") != std::string::npos)
    throw config_error(make_mark(file, line, static_cast<int>(parser.problem_mark.column) + 1),
                       "found a tab character at the start of a block scalar; give its indentation "
                       "explicitly (e.g. |2) or use spaces");
  if (auto tab = find_indentation_tab(content, line, file))
    throw config_error(*tab, "found a tab character in indentation; YAML indentation must use spaces");
  const std::size_t open = parser.context_mark.index;
  if (context == "while scanning a quoted scalar" && problem == "found unexpected end of stream" &&
      open < content.size())
    throw config_error(make_mark(file, static_cast<int>(parser.context_mark.line) + 1,
                                 static_cast<int>(parser.context_mark.column) + 1),
                       std::string("invalid YAML: unterminated quoted string (missing closing ") + content[open] + ")");
  SourceMark where{file, line, static_cast<int>(parser.problem_mark.column) + 1};
  throw config_error(where, "invalid YAML: " + problem + (context.empty() ? "" : " (" + context + ")"));
}

}  // namespace

std::vector<Node> read_yaml_documents(std::string_view content, const std::string& file_name,
                                      const ReadLimits& limits) {
  if (content.size() > limits.max_bytes)
    throw config_error(SourceMark{file_name}, "file too large (" + std::to_string(content.size()) +
                                                  " bytes, the limit is " +
                                                  std::to_string(limits.max_bytes) + ")");
  check_text(content, file_name);

  std::vector<Node> raw;
  {
    Parser parser(content);
    TreeBuilder builder(file_name, limits);
    for (Event event;;) {
      if (!event.next(parser.get())) throw_parse_error(parser.get(), content, file_name);
      if (event.get().type == YAML_STREAM_END_EVENT) break;
      builder.handle(event.get());
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
  return read_yaml_documents(read_text_file(path, limits.max_bytes), path, limits);
}

Node read_yaml(std::string_view content, const std::string& file_name, const ReadLimits& limits) {
  auto documents = read_yaml_documents(content, file_name, limits);
  if (documents.size() > 1)
    throw config_error(documents[1].mark(),
                       "expected a single YAML document, found " + std::to_string(documents.size()));
  return std::move(documents.front());
}

}  // namespace berth::loader
