#include "node.h"

namespace berth::loader {

Node Node::null(SourceMark mark) {
  Node n;
  n.mark_ = std::move(mark);
  return n;
}

Node Node::scalar(std::string text, Style style, SourceMark mark) {
  Node n;
  n.kind_ = Kind::Scalar;
  n.text_ = std::move(text);
  n.style_ = style;
  n.mark_ = std::move(mark);
  return n;
}

Node Node::sequence(SourceMark mark) {
  Node n;
  n.kind_ = Kind::Sequence;
  n.mark_ = std::move(mark);
  return n;
}

Node Node::mapping(SourceMark mark) {
  Node n;
  n.kind_ = Kind::Mapping;
  n.mark_ = std::move(mark);
  return n;
}

const Node* Node::find(const std::string& key) const {
  for (const auto& e : entries_)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node* Node::find(const std::string& key) {
  for (auto& e : entries_)
    if (e.key == key) return &e.value;
  return nullptr;
}

Node& Node::set(const std::string& key, Node value, SourceMark key_mark) {
  for (auto& e : entries_) {
    if (e.key == key) {
      e.value = std::move(value);
      return e.value;
    }
  }
  entries_.push_back(Entry{key, std::move(key_mark), std::move(value)});
  return entries_.back().value;
}

bool Node::erase(const std::string& key) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->key == key) {
      entries_.erase(it);
      return true;
    }
  }
  return false;
}

size_t Node::size() const {
  switch (kind_) {
    case Kind::Sequence: return items_.size();
    case Kind::Mapping: return entries_.size();
    default: return 0;
  }
}

}  // namespace berth::loader
