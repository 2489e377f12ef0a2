#include "interpolation.h"

#include "berth/loader/diagnostics.h"

namespace berth::loader {
namespace {

bool is_name_start(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

struct InvalidTemplate {};

// Finds the `}` closing a `${` whose body starts at `from`; only `${` opens a
// nested level (like compose-go), so a lone `{` in a default is just text.
std::size_t closing_brace(std::string_view text, std::size_t from) {
  int depth = 1;
  for (std::size_t i = from; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (text[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// One `${...}` body split into its parts.
struct Braced {
  std::string_view name;
  std::string_view op;    // "", ":-", "-", ":?", "?", ":+", "+"
  std::string_view rest;  // default / error / replacement, not yet interpolated
};

Braced parse_braced(std::string_view body) {
  Braced b;
  std::size_t i = 0;
  if (body.empty() || !is_name_start(body[0])) throw InvalidTemplate{};
  while (i < body.size() && is_name_char(body[i])) ++i;
  b.name = body.substr(0, i);
  if (i == body.size()) return b;
  std::size_t op_len = body[i] == ':' ? 2 : 1;
  if (i + op_len > body.size()) throw InvalidTemplate{};
  const char op_char = body[i + op_len - 1];
  if (op_char != '-' && op_char != '?' && op_char != '+') throw InvalidTemplate{};
  b.op = body.substr(i, op_len);
  b.rest = body.substr(i + op_len);
  return b;
}

class Interpolator {
 public:
  Interpolator(const VariableLookup* lookup, Diagnostics* diagnostics, const SourceMark& mark,
               std::vector<VariableUse>* uses)
      : lookup_(lookup), diagnostics_(diagnostics), mark_(mark), uses_(uses) {}

  bool substituted = false;

  void run(std::string_view text, std::string& out) {
    std::size_t i = 0;
    while (i < text.size()) {
      const std::size_t dollar = text.find('$', i);
      if (dollar == std::string_view::npos) {
        out.append(text.substr(i));
        return;
      }
      out.append(text.substr(i, dollar - i));
      i = dollar + 1;
      if (i >= text.size()) {
        out.push_back('$');
        return;
      }
      const char next = text[i];
      if (next == '$') {
        out.push_back('$');
        substituted = true;
        ++i;
      } else if (is_name_start(next)) {
        std::size_t end = i;
        while (end < text.size() && is_name_char(text[end])) ++end;
        substitute(Braced{text.substr(i, end - i), {}, {}}, out);
        i = end;
      } else if (next == '{') {
        const std::size_t close = closing_brace(text, i + 1);
        if (close == std::string_view::npos) throw InvalidTemplate{};
        substitute(parse_braced(text.substr(i + 1, close - i - 1)), out);
        i = close + 1;
      } else {
        out.push_back('$');  // "$5", "$ ", "$-": not a variable, kept as written
      }
    }
  }

 private:
  std::optional<std::string> value_of(std::string_view name) {
    if (!lookup_ || !*lookup_) return std::nullopt;
    return (*lookup_)(std::string(name));
  }

  void substitute(const Braced& b, std::string& out) {
    substituted = true;
    if (uses_) {
      record(b);
      return;
    }
    const auto value = value_of(b.name);
    const bool set = value.has_value();
    const bool non_empty = set && !value->empty();
    const std::string_view op = b.op;
    if (op.empty()) {
      if (set) {
        out += *value;
      } else if (diagnostics_) {
        const std::string name(b.name);
        diagnostics_->warn_once("unset-variable:" + name,
                                "The \"" + name + "\" variable is not set. Defaulting to a blank string.",
                                mark_);
      }
    } else if (op == ":-" || op == "-") {
      if (op == ":-" ? non_empty : set) out += *value;
      else run(b.rest, out);
    } else if (op == ":+" || op == "+") {
      if (op == ":+" ? non_empty : set) run(b.rest, out);
    } else {  // ":?" or "?"
      if (op == ":?" ? non_empty : set) {
        out += *value;
      } else {
        std::string reason;
        run(b.rest, reason);
        std::string message = "required variable " + std::string(b.name) + " is missing a value";
        if (!reason.empty()) message += ": " + reason;
        throw config_error(mark_, message);
      }
    }
  }

  void record(const Braced& b) {
    VariableUse use;
    use.name = std::string(b.name);
    use.mark = mark_;
    const std::string_view op = b.op;
    use.required = op == ":?" || op == "?";  // compose-go's Variable.Required: only an error when unset
    if (op == ":-" || op == "-") use.default_value = std::string(b.rest);
    if (op == ":+" || op == "+") use.alternate_value = std::string(b.rest);
    if (op == ":?" || op == "?") use.error_message = std::string(b.rest);
    uses_->push_back(std::move(use));
    if (!b.rest.empty()) {
      std::string ignored;
      run(b.rest, ignored);
    }
  }

  const VariableLookup* lookup_;
  Diagnostics* diagnostics_;
  const SourceMark& mark_;
  std::vector<VariableUse>* uses_;
};

[[noreturn]] void invalid_format(std::string_view text, const std::string& path,
                                 const SourceMark& mark) {
  std::string message = "invalid interpolation format for ";
  message += path.empty() ? std::string("value") : path;
  message += ": \"";
  message += text;
  message += "\"; you may need to escape any $ with another $";
  throw config_error(mark, message);
}

// Dotted paths are only needed for messages, so they are built on demand
// from the stack of keys/indexes leading to the current node.
class PathStack {
 public:
  void push(std::string_view key) { parts_.push_back(Part{key, 0, false}); }
  void push(std::size_t index) { parts_.push_back(Part{{}, index, true}); }
  void pop() { parts_.pop_back(); }
  std::string str() const {
    std::string out;
    for (const auto& p : parts_) {
      if (!out.empty()) out.push_back('.');
      if (p.is_index) out += std::to_string(p.index);
      else out += p.key;
    }
    return out;
  }

 private:
  struct Part {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  std::vector<Part> parts_;
};

void interpolate_tree(Node& node, const VariableLookup& lookup, Diagnostics& diagnostics,
                      PathStack& path) {
  switch (node.kind()) {
    case Node::Kind::Scalar: {
      if (node.text().find('$') == std::string::npos) return;
      Interpolator interpolator(&lookup, &diagnostics, node.mark(), nullptr);
      std::string out;
      out.reserve(node.text().size());
      try {
        interpolator.run(node.text(), out);
      } catch (const InvalidTemplate&) {
        invalid_format(node.text(), path.str(), node.mark());
      }
      if (interpolator.substituted) {
        node.set_text(std::move(out));
        node.set_interpolated(true);
      }
      return;
    }
    case Node::Kind::Sequence: {
      std::size_t index = 0;
      for (auto& item : node.items()) {
        path.push(index++);
        interpolate_tree(item, lookup, diagnostics, path);
        path.pop();
      }
      return;
    }
    case Node::Kind::Mapping:
      for (auto& e : node.entries()) {
        path.push(e.key);
        interpolate_tree(e.value, lookup, diagnostics, path);
        path.pop();
      }
      return;
    case Node::Kind::Null:
      return;
  }
}

void list_tree(const Node& node, PathStack& path, std::vector<VariableUse>& uses) {
  if (node.is_scalar()) {
    if (node.text().find('$') == std::string::npos) return;
    const std::size_t first = uses.size();
    Interpolator interpolator(nullptr, nullptr, node.mark(), &uses);
    std::string ignored;
    try {
      interpolator.run(node.text(), ignored);
    } catch (const InvalidTemplate&) {
      invalid_format(node.text(), path.str(), node.mark());
    }
    if (uses.size() > first) {
      const std::string dotted = path.str();
      for (std::size_t i = first; i < uses.size(); ++i) uses[i].path = dotted;
    }
  } else if (node.is_sequence()) {
    std::size_t index = 0;
    for (const auto& item : node.items()) {
      path.push(index++);
      list_tree(item, path, uses);
      path.pop();
    }
  } else if (node.is_mapping()) {
    for (const auto& e : node.entries()) {
      path.push(e.key);
      list_tree(e.value, path, uses);
      path.pop();
    }
  }
}

}  // namespace

InterpolationResult interpolate_string(std::string_view text, const VariableLookup& lookup,
                                       const std::string& path, const SourceMark& mark,
                                       Diagnostics* diagnostics) {
  InterpolationResult result;
  Interpolator interpolator(&lookup, diagnostics, mark, nullptr);
  try {
    interpolator.run(text, result.text);
  } catch (const InvalidTemplate&) {
    invalid_format(text, path, mark);
  }
  result.substituted = interpolator.substituted;
  return result;
}

void interpolate(Node& root, const VariableLookup& lookup, Diagnostics& diagnostics) {
  PathStack path;
  interpolate_tree(root, lookup, diagnostics, path);
}

void interpolate(Node& root, const Environment& env, Diagnostics& diagnostics) {
  const VariableLookup lookup = [&env](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  interpolate(root, lookup, diagnostics);
}

std::vector<VariableUse> list_variables(const Node& root) {
  std::vector<VariableUse> uses;
  PathStack path;
  list_tree(root, path, uses);
  return uses;
}

}  // namespace berth::loader
