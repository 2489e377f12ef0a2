#pragma once
// Helpers shared by the loader front-end tests.
#include <string>

#include "loader/node.h"

namespace berth::loader::test {

// Compact flow-style rendering of a tree: {a: 'x', b: [1, null]}.
// Quoted scalars show in quotes, plain ones bare, so style is visible.
inline std::string dump(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::Null: return "null";
    case Node::Kind::Scalar:
      return n.style() == Node::Style::Quoted ? "'" + n.text() + "'" : n.text();
    case Node::Kind::Sequence: {
      std::string out = "[";
      for (const auto& item : n.items()) out += (out.size() > 1 ? ", " : "") + dump(item);
      return out + "]";
    }
    case Node::Kind::Mapping: {
      std::string out = "{";
      for (const auto& e : n.entries())
        out += (out.size() > 1 ? ", " : "") + e.key + ": " + dump(e.value);
      return out + "}";
    }
  }
  return "?";
}

}  // namespace berth::loader::test
