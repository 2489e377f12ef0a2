#include "to_json.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <nlohmann/json.hpp>

#include "berth/util/strings.h"

namespace berth::loader {
namespace {

using json = nlohmann::json;

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_octal(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_binary(char c) { return c == '0' || c == '1'; }

std::optional<bool> parse_core_bool(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

// Integers of the YAML 1.2 core schema, plus yaml.v3's reading of a leading
// zero as octal (so `mode: 0440` means what compose users expect).
bool parse_core_int(std::string_view s, json& out) {
  std::string_view body = s;
  bool negative = false;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  int base = 10;
  std::string_view digits = body;
  // 0o, 0x and (as yaml.v3 also reads it) 0b, with an optional sign like Go's ParseInt.
  const bool prefixed = body.size() > 2 && body[0] == '0';
  if (prefixed && body[1] == 'o' && all_of(body.substr(2), is_octal)) {
    base = 8, digits = body.substr(2);
  } else if (prefixed && body[1] == 'x' && all_of(body.substr(2), is_hex)) {
    base = 16, digits = body.substr(2);
  } else if (prefixed && body[1] == 'b' && all_of(body.substr(2), is_binary)) {
    base = 2, digits = body.substr(2);
  } else if (!all_of(body, is_digit)) {
    return false;
  } else if (body.size() > 1 && body[0] == '0' && all_of(body, is_octal)) {
    base = 8;
  }
  const std::string text(digits);
  errno = 0;
  char* end = nullptr;
  const unsigned long long magnitude = std::strtoull(text.c_str(), &end, base);
  if (errno == ERANGE || *end != '\0') {
    out = (negative ? -1.0 : 1.0) * std::strtod(text.c_str(), nullptr);
    return true;
  }
  constexpr auto kMax = static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max());
  if (!negative) {
    if (magnitude <= kMax) out = static_cast<std::int64_t>(magnitude);
    else out = magnitude;
  } else if (magnitude <= kMax + 1) {
    out = magnitude == kMax + 1 ? std::numeric_limits<std::int64_t>::min()
                                : -static_cast<std::int64_t>(magnitude);
  } else {
    out = -static_cast<double>(magnitude);
  }
  return true;
}

bool parse_core_float(std::string_view s, json& out) {
  std::string_view body = s;
  double sign = 1;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) {
    sign = body[0] == '-' ? -1 : 1;
    body.remove_prefix(1);
  }
  if (body == ".inf" || body == ".Inf" || body == ".INF") {
    out = sign * std::numeric_limits<double>::infinity();
    return true;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN") {
    out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  // [0-9]* ( . [0-9]* )? ( [eE] [-+]? [0-9]+ )? with at least one digit.
  std::size_t i = 0, mantissa_digits = 0;
  while (i < body.size() && is_digit(body[i])) ++i, ++mantissa_digits;
  if (i < body.size() && body[i] == '.') {
    ++i;
    while (i < body.size() && is_digit(body[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    const std::size_t exp_start = i;
    while (i < body.size() && is_digit(body[i])) ++i;
    if (i == exp_start) return false;
  }
  if (i != body.size()) return false;
  out = std::strtod(std::string(s).c_str(), nullptr);
  return true;
}

bool resolve_plain(std::string_view s, json& out) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
    out = nullptr;
    return true;
  }
  if (auto b = parse_core_bool(s)) {
    out = *b;
    return true;
  }
  const char c = s[0];
  if (!is_digit(c) && c != '-' && c != '+' && c != '.') return false;
  if (parse_core_int(s, out) || parse_core_float(s, out)) return true;
  // yaml.v3, compose-go's parser, drops `_` separators first (1_000 is 1000).
  if (c != '.' && s.find('_') != std::string_view::npos) {
    std::string plain;
    for (char ch : s)
      if (ch != '_') plain.push_back(ch);
    return parse_core_int(plain, out) || parse_core_float(plain, out);
  }
  return false;
}

// compose-go's casts accept more spellings than YAML 1.2 for booleans.
std::optional<bool> parse_cast_bool(std::string_view s) {
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  if (lower == "true" || lower == "yes" || lower == "y" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "n" || lower == "off") return false;
  return std::nullopt;
}

// A cheap filter before parse_cast_bool: its words are 1 to 5 letters long
// and start with one of these.
bool could_be_cast_bool(std::string_view s) {
  if (s.empty() || s.size() > 5) return false;
  switch (s[0]) {
    case 'y': case 'Y': case 'n': case 'N': case 'o': case 'O':
    case 't': case 'T': case 'f': case 'F': return true;
    default: return false;
  }
}

enum class Cast { Bool, Int, Number, FileMode };

struct CastRule {
  std::vector<std::string_view> pattern;  // "*" any key, "[]" any index
  Cast cast;
};

// Where the compose schema wants a boolean/integer/number but a string can
// appear (quoted, or produced by interpolation); derived from
// schemas/compose-spec.json. Maps of free-form values (labels, environment,
// args, ...) and ports' `published` stay strings, as in compose-go.
const std::vector<CastRule>& cast_rules() {
  static const std::vector<CastRule> rules = [] {
    std::vector<CastRule> r;
    auto add = [&](std::initializer_list<std::string_view> service_path, Cast cast) {
      CastRule rule{{"services", "*"}, cast};
      rule.pattern.insert(rule.pattern.end(), service_path);
      r.push_back(std::move(rule));
    };
    const Cast B = Cast::Bool, I = Cast::Int, N = Cast::Number, M = Cast::FileMode;
    add({"attach"}, B);
    add({"blkio_config", "device_read_bps", "[]", "rate"}, I);
    add({"blkio_config", "device_read_iops", "[]", "rate"}, I);
    add({"blkio_config", "device_write_bps", "[]", "rate"}, I);
    add({"blkio_config", "device_write_iops", "[]", "rate"}, I);
    add({"blkio_config", "weight"}, I);
    add({"blkio_config", "weight_device", "[]", "weight"}, I);
    add({"build", "no_cache"}, B);
    add({"build", "privileged"}, B);
    add({"build", "pull"}, B);
    add({"build", "provenance"}, B);
    add({"build", "sbom"}, B);
    add({"build", "secrets", "[]", "mode"}, M);
    add({"build", "shm_size"}, I);
    add({"build", "ulimits", "*"}, I);
    add({"build", "ulimits", "*", "hard"}, I);
    add({"build", "ulimits", "*", "soft"}, I);
    add({"configs", "[]", "mode"}, M);
    add({"cpu_count"}, I);
    add({"cpu_percent"}, I);
    add({"cpu_period"}, I);
    add({"cpu_quota"}, I);
    add({"cpu_rt_period"}, I);
    add({"cpu_rt_runtime"}, I);
    add({"cpu_shares"}, I);
    add({"cpus"}, N);
    add({"depends_on", "*", "required"}, B);
    add({"depends_on", "*", "restart"}, B);
    add({"deploy", "placement", "max_replicas_per_node"}, I);
    add({"deploy", "replicas"}, I);
    add({"deploy", "resources", "limits", "cpus"}, N);
    add({"deploy", "resources", "limits", "pids"}, I);
    add({"deploy", "resources", "reservations", "cpus"}, N);
    add({"deploy", "resources", "reservations", "devices", "[]", "count"}, I);
    add({"deploy", "resources", "reservations", "generic_resources", "[]", "discrete_resource_spec", "value"}, N);
    add({"deploy", "restart_policy", "max_attempts"}, I);
    add({"deploy", "rollback_config", "max_failure_ratio"}, N);
    add({"deploy", "rollback_config", "parallelism"}, I);
    add({"deploy", "update_config", "max_failure_ratio"}, N);
    add({"deploy", "update_config", "parallelism"}, I);
    add({"develop", "watch", "[]", "exec", "privileged"}, B);
    add({"develop", "watch", "[]", "initial_sync"}, B);
    add({"env_file", "[]", "required"}, B);
    add({"gpus", "[]", "count"}, I);
    add({"healthcheck", "disable"}, B);
    add({"healthcheck", "retries"}, I);
    add({"init"}, B);
    add({"mem_limit"}, I);
    add({"mem_reservation"}, I);
    add({"mem_swappiness"}, I);
    add({"memswap_limit"}, I);
    add({"networks", "*", "gw_priority"}, I);
    add({"networks", "*", "priority"}, I);
    add({"oom_kill_disable"}, B);
    add({"oom_score_adj"}, I);
    add({"pids_limit"}, I);
    add({"ports", "[]", "target"}, I);
    add({"post_start", "[]", "privileged"}, B);
    add({"pre_start", "[]", "per_replica"}, B);
    add({"pre_start", "[]", "privileged"}, B);
    add({"pre_stop", "[]", "privileged"}, B);
    add({"privileged"}, B);
    add({"read_only"}, B);
    add({"scale"}, I);
    add({"secrets", "[]", "mode"}, M);
    add({"shm_size"}, I);
    add({"stdin_open"}, B);
    add({"tty"}, B);
    add({"ulimits", "*"}, I);
    add({"ulimits", "*", "hard"}, I);
    add({"ulimits", "*", "soft"}, I);
    add({"use_api_socket"}, B);
    add({"volumes", "[]", "bind", "create_host_path"}, B);
    add({"volumes", "[]", "read_only"}, B);
    add({"volumes", "[]", "tmpfs", "mode"}, I);
    add({"volumes", "[]", "tmpfs", "size"}, I);
    add({"volumes", "[]", "volume", "nocopy"}, B);
    for (std::string_view top : {"networks", "volumes", "secrets", "configs"})
      r.push_back(CastRule{{top, "*", "external"}, B});
    for (std::string_view key : {"attachable", "enable_ipv4", "enable_ipv6", "internal"})
      r.push_back(CastRule{{"networks", "*", key}, B});
    r.push_back(CastRule{{"models", "*", "context_size"}, I});
    return r;
  }();
  return rules;
}

struct PathPart {
  std::string_view key;
  bool is_index;
};

// The rules by pattern length, so that a lookup tries only rules that can match.
const std::vector<const CastRule*>& cast_rules_of_length(std::size_t length) {
  static const std::vector<std::vector<const CastRule*>> by_length = [] {
    std::vector<std::vector<const CastRule*>> out;
    for (const auto& rule : cast_rules()) {
      if (out.size() <= rule.pattern.size()) out.resize(rule.pattern.size() + 1);
      out[rule.pattern.size()].push_back(&rule);
    }
    return out;
  }();
  static const std::vector<const CastRule*> none;
  return length < by_length.size() ? by_length[length] : none;
}

std::optional<Cast> cast_for(const std::vector<PathPart>& path) {
  if (path.size() < 3 || path[0].is_index) return std::nullopt;  // every rule is that deep
  for (const CastRule* rule_ptr : cast_rules_of_length(path.size())) {
    const CastRule& rule = *rule_ptr;
    bool match = true;
    for (std::size_t i = 0; match && i < path.size(); ++i) {
      const auto& want = rule.pattern[i];
      if (want == "[]") match = path[i].is_index;
      else if (want == "*") match = !path[i].is_index;
      else match = !path[i].is_index && path[i].key == want;
    }
    if (match) return rule.cast;
  }
  return std::nullopt;
}

bool apply_cast(Cast cast, const std::string& text, json& out) {
  switch (cast) {
    case Cast::Bool:
      if (auto b = parse_cast_bool(text)) {
        out = *b;
        return true;
      }
      return false;
    case Cast::Int: {
      json value;
      if (parse_core_int(text, value) && value.is_number_integer()) {
        out = std::move(value);
        return true;
      }
      return false;
    }
    case Cast::FileMode: {
      // A mode written as a string is octal ("440", "0440"), as compose-go's
      // FileMode reads it; a YAML integer is taken as written (0440 is octal
      // there already, 440 is decimal).
      if (text.empty() || text.size() > 12 || !all_of(text, is_octal)) return false;
      out = static_cast<std::int64_t>(std::stoll(text, nullptr, 8));
      return true;
    }
    case Cast::Number: {
      json value;
      if ((parse_core_int(text, value) || parse_core_float(text, value)) && value.is_number()) {
        out = std::move(value);
        return true;
      }
      return false;
    }
  }
  return false;
}

class Converter {
 public:
  // Without `positions`, nothing is recorded (the caller looks marks up in the tree).
  explicit Converter(PositionMap* positions) : positions_(positions) {}

  void convert(const Node& node, json& out, const SourceMark* key_mark) {
    if (positions_) positions_->add(pointer_, node.mark(), key_mark ? *key_mark : SourceMark{});
    switch (node.kind()) {
      case Node::Kind::Null:
        out = nullptr;
        return;
      case Node::Kind::Scalar:
        scalar(node, out);
        return;
      case Node::Kind::Sequence: {
        out = json(json::value_t::array);
        auto& array = out.get_ref<json::array_t&>();
        array.resize(node.items().size());
        for (std::size_t i = 0; i < array.size(); ++i) {
          const std::size_t saved = pointer_.size();
          if (positions_) {
            pointer_ += '/';
            pointer_ += std::to_string(i);
          }
          path_.push_back(PathPart{{}, true});
          convert(node.items()[i], array[i], nullptr);
          path_.pop_back();
          pointer_.resize(saved);
        }
        return;
      }
      case Node::Kind::Mapping: {
        out = json(json::value_t::object);
        auto& object = out.get_ref<json::object_t&>();
        for (const auto& e : node.entries()) {
          const std::size_t saved = pointer_.size();
          if (positions_) {
            pointer_ += '/';
            pointer_ += escape_json_pointer_token(e.key);
          }
          path_.push_back(PathPart{e.key, false});
          convert(e.value, object[e.key], &e.key_mark);
          path_.pop_back();
          pointer_.resize(saved);
        }
        return;
      }
    }
  }

 private:
  void scalar(const Node& node, json& out) {
    const bool typed_by_yaml = node.style() == Node::Style::Plain && !node.interpolated();
    if (typed_by_yaml) {
      if (resolve_plain(node.text(), out)) return;
      // What the core schema leaves a string parses as no integer or number
      // either; of the casts only yes/no/on/off/y/n/True... could apply.
      if (!could_be_cast_bool(node.text())) {
        out = node.text();
        return;
      }
    }
    if (auto cast = cast_for(path_))
      if (apply_cast(*cast, node.text(), out)) return;
    out = node.text();
  }

  PositionMap* positions_;
  std::string pointer_;
  std::vector<PathPart> path_;
};

}  // namespace

PositionMap::Compact PositionMap::compact(const SourceMark& mark) {
  if (!mark.known() && mark.file.empty()) return {};
  int file = -1;
  // Consecutive nodes nearly always share a file: look from the back.
  for (int i = static_cast<int>(files_.size()) - 1; i >= 0; --i) {
    if (files_[static_cast<std::size_t>(i)] == mark.file) {
      file = i;
      break;
    }
  }
  if (file < 0) {
    files_.push_back(mark.file);
    file = static_cast<int>(files_.size()) - 1;
  }
  return Compact{file, mark.line, mark.column};
}

SourceMark PositionMap::expand(const Compact& mark) const {
  if (mark.file < 0) return {};
  return SourceMark{files_[static_cast<std::size_t>(mark.file)], mark.line, mark.column};
}

void PositionMap::add(std::string pointer, const SourceMark& value_mark, const SourceMark& key_mark) {
  marks_[std::move(pointer)] = Entry{compact(value_mark), compact(key_mark)};
}

void PositionMap::reserve(std::size_t nodes) { marks_.reserve(nodes); }

SourceMark PositionMap::tree_lookup(std::string_view pointer, bool key) const {
  const Node* node = tree_.get();
  SourceMark best = node->mark();
  const SourceMark* key_mark = nullptr;
  std::size_t pos = 0;
  while (pos < pointer.size() && pointer[pos] == '/') {
    std::size_t end = pointer.find('/', pos + 1);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    for (std::size_t i = pos + 1; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token.push_back(pointer[++i] == '0' ? '~' : '/');
      } else {
        token.push_back(pointer[i]);
      }
    }
    pos = end;
    const Node* next = nullptr;
    key_mark = nullptr;
    if (node->is_mapping()) {
      for (const auto& e : node->entries())
        if (e.key == token) {
          next = &e.value;
          key_mark = &e.key_mark;
          break;
        }
    } else if (node->is_sequence() && !token.empty() && all_of(token, is_digit)) {
      const std::size_t index = std::strtoull(token.c_str(), nullptr, 10);
      if (index < node->items().size()) next = &node->items()[index];
    }
    if (!next) return best;  // the nearest ancestor
    node = next;
    if (!node->mark().file.empty() || node->mark().known()) best = node->mark();
  }
  if (key && key_mark && key_mark->line > 0) return *key_mark;
  return best;
}

SourceMark PositionMap::lookup(std::string_view pointer) const {
  if (tree_) return tree_lookup(pointer, false);
  std::string p(pointer);
  while (true) {
    if (auto it = marks_.find(p); it != marks_.end() && it->second.value.file >= 0)
      return expand(it->second.value);
    if (p.empty()) return {};
    const auto slash = p.rfind('/');
    p.resize(slash == std::string::npos ? 0 : slash);
  }
}

SourceMark PositionMap::key_lookup(std::string_view pointer) const {
  if (tree_) return tree_lookup(pointer, true);
  if (auto it = marks_.find(std::string(pointer)); it != marks_.end() && it->second.key.line > 0)
    return expand(it->second.key);
  return lookup(pointer);
}

namespace {
std::size_t count_nodes(const Node& node) {
  std::size_t n = 1;
  for (const auto& item : node.items()) n += count_nodes(item);
  for (const auto& e : node.entries()) n += count_nodes(e.value);
  return n;
}
}  // namespace

PositionMap to_json(const Node& root, nlohmann::json& out) {
  PositionMap positions;
  positions.reserve(count_nodes(root));
  Converter(&positions).convert(root, out, nullptr);
  return positions;
}

PositionMap to_json(std::shared_ptr<const Node> root, nlohmann::json& out) {
  Converter(nullptr).convert(*root, out, nullptr);
  return PositionMap(std::move(root));
}

Node from_json(const nlohmann::json& value, const SourceMark& mark) {
  switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
      return Node::null(mark);
    case json::value_t::string:
      return Node::scalar(value.get<std::string>(), Node::Style::Quoted, mark);
    case json::value_t::boolean:
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
    case json::value_t::binary:
      return Node::scalar(value.dump(), Node::Style::Plain, mark);
    case json::value_t::array: {
      Node n = Node::sequence(mark);
      for (const auto& item : value) n.push_back(from_json(item, mark));
      return n;
    }
    case json::value_t::object: {
      Node n = Node::mapping(mark);
      for (const auto& [key, item] : value.items())
        n.entries().push_back(Node::Entry{key, mark, from_json(item, mark)});
      return n;
    }
  }
  return Node::null(mark);
}

void plain_scalar_to_json(const std::string& text, nlohmann::json& out) {
  if (!resolve_plain(text, out)) out = text;
}

std::string json_pointer_to_dotted(std::string_view pointer) {
  std::string out;
  for (std::size_t i = 0; i < pointer.size(); ++i) {
    const char c = pointer[i];
    if (c == '/') {
      if (i != 0) out.push_back('.');
    } else if (c == '~' && i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      out.push_back(pointer[i + 1] == '0' ? '~' : '/');
      ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace berth::loader
