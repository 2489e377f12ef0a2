#pragma once
// The loader's document tree: YAML as read, before it becomes the model.
// Every node keeps where it came from so that any later stage (merge,
// validation, consistency checks) can report file:line:col.
//
// Scalars stay text until the tree is turned into JSON (to_json): a plain
// scalar is resolved by the YAML 1.2 core schema (null, bool, int, float),
// a quoted one is always a string, and one produced by interpolation is a
// string unless its path is one the compose schema types (see cast rules in
// the loader). This is the order compose-go uses: interpolate text, then type.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "berth/util/error.h"

namespace berth::loader {

class Node {
 public:
  enum class Kind { Null, Scalar, Sequence, Mapping };
  enum class Style { Plain, Quoted };       // scalar style as written
  enum class Tag { None, Reset, Override };  // compose's !reset / !override

  struct Entry;

  Node() = default;
  static Node null(SourceMark mark = {});
  static Node scalar(std::string text, Style style = Style::Plain, SourceMark mark = {});
  static Node sequence(SourceMark mark = {});
  static Node mapping(SourceMark mark = {});

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_scalar() const { return kind_ == Kind::Scalar; }
  bool is_sequence() const { return kind_ == Kind::Sequence; }
  bool is_mapping() const { return kind_ == Kind::Mapping; }

  const SourceMark& mark() const { return mark_; }
  void set_mark(SourceMark m) { mark_ = std::move(m); }
  Tag tag() const { return tag_; }
  void set_tag(Tag t) { tag_ = t; }

  // Scalars.
  const std::string& text() const { return text_; }
  void set_text(std::string t) { text_ = std::move(t); }
  Style style() const { return style_; }
  void set_style(Style s) { style_ = s; }
  // True once interpolation replaced a variable in this scalar.
  bool interpolated() const { return interpolated_; }
  void set_interpolated(bool v) { interpolated_ = v; }

  // Sequences.
  const std::vector<Node>& items() const { return items_; }
  std::vector<Node>& items() { return items_; }
  void push_back(Node n);

  // Mappings keep the order they were written in; keys are unique.
  const std::vector<Entry>& entries() const { return entries_; }
  std::vector<Entry>& entries() { return entries_; }
  const Node* find(const std::string& key) const;
  Node* find(const std::string& key);
  // Sets key to value, replacing an existing entry in place.
  Node& set(const std::string& key, Node value, SourceMark key_mark = {});
  bool erase(const std::string& key);

  size_t size() const;

 private:
  Kind kind_ = Kind::Null;
  Style style_ = Style::Plain;
  Tag tag_ = Tag::None;
  bool interpolated_ = false;
  SourceMark mark_;
  std::string text_;
  std::vector<Node> items_;
  std::vector<Entry> entries_;
};

struct Node::Entry {
  std::string key;
  SourceMark key_mark;
  Node value;
};

// Defined once Entry is complete: moving a Node moves its entries (clang
// instantiates the move here, GCC later).
inline void Node::push_back(Node n) { items_.push_back(std::move(n)); }

}  // namespace berth::loader
