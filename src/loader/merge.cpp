#include "merge.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace berth::loader {
namespace {

using Path = std::vector<std::string>;

// How the value at one path of a compose document is merged.
enum class Rule {
  Default,       // mappings recursively, sequences appended, scalars replaced
  Replace,       // the overlay replaces the base as a whole
  KeyValue,      // list_or_dict: merged by key, `K=V` list items vs `K: V` entries
  ExtraHosts,    // like KeyValue, but list items are `host=ip` or `host:ip`
  Ports,         // sequences unique by (host_ip, published, target, protocol)
  Volumes,       // unique by container path
  Devices,       // unique by container path
  Secrets,       // unique by target path, default directory /run/secrets
  Configs,       // unique by target path, default directory /
  EnvFiles,      // unique by path; a string is a one-item list
  Tmpfs,         // unique by path; a string is a one-item list
  UniqueText,    // unique by the whole text; a string is a one-item list
  IpamConfig,    // unique by subnet, same-subnet entries merged
  DependsOn,     // list vs mapping forms merged by service name
  Networks,      // list vs mapping forms merged by network name
  Build,         // `build: dir` merged as `build: {context: dir}`
  Logging,       // options merged only while the driver stays the same
};

struct PathRule {
  std::vector<std::string_view> pattern;  // "*" matches any one key
  Rule rule;
};

const std::vector<PathRule>& path_rules() {
  static const std::vector<PathRule> rules = {
      {{"services", "*", "command"}, Rule::Replace},
      {{"services", "*", "entrypoint"}, Rule::Replace},
      {{"services", "*", "healthcheck", "test"}, Rule::Replace},
      {{"services", "*", "environment"}, Rule::KeyValue},
      {{"services", "*", "labels"}, Rule::KeyValue},
      {{"services", "*", "annotations"}, Rule::KeyValue},
      {{"services", "*", "sysctls"}, Rule::KeyValue},
      {{"services", "*", "storage_opt"}, Rule::KeyValue},
      {{"services", "*", "build", "args"}, Rule::KeyValue},
      {{"services", "*", "build", "labels"}, Rule::KeyValue},
      {{"services", "*", "build", "additional_contexts"}, Rule::KeyValue},
      {{"services", "*", "build", "extra_hosts"}, Rule::ExtraHosts},
      {{"services", "*", "deploy", "labels"}, Rule::KeyValue},
      {{"services", "*", "extra_hosts"}, Rule::ExtraHosts},
      {{"services", "*", "ports"}, Rule::Ports},
      {{"services", "*", "volumes"}, Rule::Volumes},
      {{"services", "*", "devices"}, Rule::Devices},
      {{"services", "*", "secrets"}, Rule::Secrets},
      {{"services", "*", "configs"}, Rule::Configs},
      {{"services", "*", "env_file"}, Rule::EnvFiles},
      {{"services", "*", "label_file"}, Rule::EnvFiles},
      {{"services", "*", "tmpfs"}, Rule::Tmpfs},
      {{"services", "*", "expose"}, Rule::UniqueText},
      {{"services", "*", "dns"}, Rule::UniqueText},
      {{"services", "*", "dns_search"}, Rule::UniqueText},
      {{"services", "*", "dns_opt"}, Rule::UniqueText},
      {{"services", "*", "cap_add"}, Rule::UniqueText},
      {{"services", "*", "cap_drop"}, Rule::UniqueText},
      {{"services", "*", "security_opt"}, Rule::UniqueText},
      {{"services", "*", "profiles"}, Rule::UniqueText},
      {{"services", "*", "links"}, Rule::UniqueText},
      {{"services", "*", "external_links"}, Rule::UniqueText},
      {{"services", "*", "group_add"}, Rule::UniqueText},
      {{"services", "*", "volumes_from"}, Rule::UniqueText},
      {{"services", "*", "device_cgroup_rules"}, Rule::UniqueText},
      {{"services", "*", "build", "tags"}, Rule::UniqueText},
      {{"services", "*", "build", "platforms"}, Rule::UniqueText},
      {{"services", "*", "build", "cache_from"}, Rule::UniqueText},
      {{"services", "*", "build", "cache_to"}, Rule::UniqueText},
      {{"services", "*", "networks", "*", "aliases"}, Rule::UniqueText},
      {{"services", "*", "networks", "*", "link_local_ips"}, Rule::UniqueText},
      {{"services", "*", "depends_on"}, Rule::DependsOn},
      {{"services", "*", "networks"}, Rule::Networks},
      {{"services", "*", "build"}, Rule::Build},
      {{"services", "*", "logging"}, Rule::Logging},
      {{"networks", "*", "labels"}, Rule::KeyValue},
      {{"networks", "*", "ipam", "config"}, Rule::IpamConfig},
      {{"volumes", "*", "labels"}, Rule::KeyValue},
      {{"secrets", "*", "labels"}, Rule::KeyValue},
      {{"configs", "*", "labels"}, Rule::KeyValue},
  };
  return rules;
}

// The rules by pattern length, so that a lookup tries only rules that can match.
const std::vector<const PathRule*>& path_rules_of_length(size_t length) {
  static const std::vector<std::vector<const PathRule*>> by_length = [] {
    std::vector<std::vector<const PathRule*>> out;
    for (const auto& rule : path_rules()) {
      if (out.size() <= rule.pattern.size()) out.resize(rule.pattern.size() + 1);
      out[rule.pattern.size()].push_back(&rule);
    }
    return out;
  }();
  static const std::vector<const PathRule*> none;
  return length < by_length.size() ? by_length[length] : none;
}

Rule rule_for(const Path& path) {
  for (const PathRule* rule : path_rules_of_length(path.size())) {
    const PathRule& r = *rule;
    bool match = true;
    for (size_t i = 0; i < path.size() && match; ++i)
      match = r.pattern[i] == "*" || r.pattern[i] == path[i];
    if (match) return r.rule;
  }
  return Rule::Default;
}

bool is_extension_key(const std::string& key) { return key.rfind("x-", 0) == 0; }

Node stripped(Node n) {
  strip_merge_tags(n);
  return n;
}

// A mapping's entries being merged. Lookups scan small mappings and index
// large ones: Node::find is a linear scan, and merging two large mappings
// through it would be quadratic, while hashing every small mapping of a
// large project costs more than it saves.
class EntryTable {
 public:
  explicit EntryTable(Node mapping) {
    if (!mapping.is_mapping()) return;
    entries_ = std::move(mapping.entries());  // keys of a mapping are unique
    alive_.assign(entries_.size(), true);
  }

  Node* find(const std::string& key) {
    auto at = position(key);
    return at && alive_[*at] ? &entries_[*at].value : nullptr;
  }

  // Replaces the value in place (keeping the key's first position) or appends.
  void put(const std::string& key, Node value, const SourceMark& key_mark) {
    if (auto at = position(key)) {
      entries_[*at].value = std::move(value);
      if (!alive_[*at]) entries_[*at].key_mark = key_mark;
      alive_[*at] = true;
      return;
    }
    if (!index_.empty()) index_.emplace(key, entries_.size());
    entries_.push_back(Node::Entry{key, key_mark, std::move(value)});
    alive_.push_back(true);
  }

  void erase(const std::string& key) {
    if (auto at = position(key)) alive_[*at] = false;
  }

  Node to_mapping(const SourceMark& mark) && {
    Node out = Node::mapping(mark);
    auto& entries = out.entries();
    entries.reserve(entries_.size());
    for (size_t i = 0; i < entries_.size(); ++i)
      if (alive_[i]) entries.push_back(std::move(entries_[i]));
    return out;
  }

 private:
  static constexpr size_t kIndexFrom = 16;

  // Where `key` is (alive or erased), if anywhere.
  std::optional<size_t> position(const std::string& key) {
    if (index_.empty() && entries_.size() >= kIndexFrom)
      for (size_t i = 0; i < entries_.size(); ++i) index_.emplace(entries_[i].key, i);
    if (!index_.empty()) {
      auto it = index_.find(key);
      return it == index_.end() ? std::nullopt : std::optional<size_t>(it->second);
    }
    for (size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].key == key) return i;
    return std::nullopt;
  }

  std::vector<Node::Entry> entries_;
  std::vector<bool> alive_;
  std::unordered_map<std::string, size_t> index_;  // built once there are kIndexFrom entries
};

const Node* find_scalar(const Node& mapping, const std::string& key) {
  const Node* v = mapping.is_mapping() ? mapping.find(key) : nullptr;
  return v && v->is_scalar() ? v : nullptr;
}

std::string trim_trailing_slash(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// ---- identities of sequence items -------------------------------------------

// "[host_ip:][published:]target[/protocol]"; host_ip may be "[v6]".
std::string short_port_key(std::string text) {
  std::string protocol = "tcp";
  if (auto slash = text.rfind('/'); slash != std::string::npos) {
    protocol = text.substr(slash + 1);
    text.resize(slash);
  }
  std::string host_ip;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close != std::string::npos) {
      host_ip = text.substr(1, close - 1);
      text = close + 2 <= text.size() ? text.substr(close + 2) : std::string();
    }
  }
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  std::string target = parts.back();
  std::string published = parts.size() >= 2 ? parts[parts.size() - 2] : "";
  if (parts.size() >= 3) {
    // An unbracketed IPv6 host keeps its colons.
    std::string ip;
    for (size_t i = 0; i + 2 < parts.size(); ++i) ip += (i ? ":" : "") + parts[i];
    host_ip = ip;
  }
  if (host_ip == "0.0.0.0") host_ip.clear();
  return host_ip + "|" + published + "|" + target + "|" + protocol;
}

std::optional<std::string> port_key(const Node& item) {
  if (item.is_scalar()) return short_port_key(item.text());
  if (!item.is_mapping()) return std::nullopt;
  const Node* target = find_scalar(item, "target");
  if (!target) return std::nullopt;
  const Node* published = find_scalar(item, "published");
  const Node* host_ip = find_scalar(item, "host_ip");
  const Node* protocol = find_scalar(item, "protocol");
  std::string ip = host_ip ? host_ip->text() : "";
  if (ip == "0.0.0.0") ip.clear();
  return ip + "|" + (published ? published->text() : "") + "|" + target->text() + "|" +
         (protocol ? protocol->text() : "tcp");
}

std::optional<std::string> volume_key(const Node& item) {
  if (item.is_mapping()) {
    const Node* target = find_scalar(item, "target");
    if (!target) return std::nullopt;
    return trim_trailing_slash(target->text());
  }
  if (!item.is_scalar()) return std::nullopt;
  const std::string& text = item.text();
  auto colon = text.find(':');
  if (colon == std::string::npos) return trim_trailing_slash(text);
  auto next = text.find(':', colon + 1);
  return trim_trailing_slash(text.substr(colon + 1, next == std::string::npos ? next : next - colon - 1));
}

std::optional<std::string> device_key(const Node& item) {
  if (item.is_mapping()) {
    const Node* target = find_scalar(item, "target");
    return target ? std::optional<std::string>(target->text()) : std::nullopt;
  }
  return volume_key(item);
}

std::optional<std::string> mount_key(const Node& item, const std::string& default_dir) {
  if (item.is_scalar()) return default_dir + "/" + item.text();
  if (!item.is_mapping()) return std::nullopt;
  if (const Node* target = find_scalar(item, "target")) {
    if (!target->text().empty() && target->text().front() == '/') return target->text();
    return default_dir + "/" + target->text();
  }
  if (const Node* source = find_scalar(item, "source")) return default_dir + "/" + source->text();
  return std::nullopt;
}

std::optional<std::string> env_file_key(const Node& item) {
  if (item.is_scalar()) return item.text();
  if (const Node* path = find_scalar(item, "path")) return path->text();
  return std::nullopt;
}

std::optional<std::string> tmpfs_key(const Node& item) {
  if (!item.is_scalar()) return std::nullopt;
  return trim_trailing_slash(item.text().substr(0, item.text().find(':')));
}

std::optional<std::string> text_key(const Node& item) {
  if (!item.is_scalar()) return std::nullopt;
  return item.text();
}

std::optional<std::string> subnet_key(const Node& item) {
  const Node* subnet = find_scalar(item, "subnet");
  return subnet ? std::optional<std::string>(subnet->text()) : std::nullopt;
}

std::optional<std::string> item_key(Rule rule, const Node& item) {
  switch (rule) {
    case Rule::Ports: return port_key(item);
    case Rule::Volumes: return volume_key(item);
    case Rule::Devices: return device_key(item);
    case Rule::Secrets: return mount_key(item, "/run/secrets");
    case Rule::Configs: return mount_key(item, "");
    case Rule::EnvFiles: return env_file_key(item);
    case Rule::Tmpfs: return tmpfs_key(item);
    case Rule::IpamConfig: return subnet_key(item);
    default: return text_key(item);
  }
}

// ---- merging ------------------------------------------------------------------

Node merge_value(Path& path, Node base, const Node& overlay);

// A service whose `extends` is not resolved yet (merge before extends): the
// `!reset` / `!override` of its attributes must still apply to the service
// it extends, so merging keeps them for resolve_extends instead of applying
// them. Only the service's own attributes are tracked, not nested values.
bool is_pending_service(const Path& path, const Node& service) {
  return path.size() == 2 && path[0] == "services" && service.is_mapping() &&
         service.find("extends") != nullptr;
}

// stripped(), except that a pending service keeps its attributes' tags.
Node stripped_at(const Path& path, Node n) {
  if (!is_pending_service(path, n)) {
    strip_merge_tags(n);
    return n;
  }
  n.set_tag(Node::Tag::None);
  for (auto& attribute : n.entries()) {
    const Node::Tag tag = attribute.value.tag();
    strip_merge_tags(attribute.value);
    attribute.value.set_tag(tag);
  }
  return n;
}

// Strips a document that is merged onto, except for pending services.
Node stripped_base(Node doc) {
  doc.set_tag(Node::Tag::None);
  if (!doc.is_mapping()) {
    strip_merge_tags(doc);
    return doc;
  }
  auto& entries = doc.entries();
  for (auto it = entries.begin(); it != entries.end();) {
    if (it->value.tag() == Node::Tag::Reset) {
      it = entries.erase(it);
      continue;
    }
    if (it->key == "services" && it->value.is_mapping()) {
      Node& services = it->value;
      services.set_tag(Node::Tag::None);
      auto& list = services.entries();
      for (auto s = list.begin(); s != list.end();) {
        if (s->value.tag() == Node::Tag::Reset) {
          s = list.erase(s);
        } else {
          s->value = stripped_at({"services", s->key}, std::move(s->value));
          ++s;
        }
      }
    } else {
      strip_merge_tags(it->value);
    }
    ++it;
  }
  return doc;
}

// Mappings merge entry by entry: new keys are appended in the overlay's
// order, `!reset` removes, `!override` and `x-*` keys replace. `base` is
// consumed (merging a large project must not copy it once per layer);
// `path` is a scratch path, restored on return.
Node merge_mappings(Path& path, Node base, const Node& overlay) {
  const bool pending = is_pending_service(path, base) || is_pending_service(path, overlay);
  const SourceMark base_mark = base.mark();
  EntryTable result(std::move(base));
  for (const auto& entry : overlay.entries()) {
    if (entry.value.tag() == Node::Tag::Reset) {
      if (pending) result.put(entry.key, entry.value, entry.key_mark);  // for resolve_extends
      else result.erase(entry.key);
      continue;
    }
    Node* existing = result.find(entry.key);
    if (pending && entry.value.tag() == Node::Tag::Override) {
      Node value = stripped(entry.value);
      value.set_tag(Node::Tag::Override);
      result.put(entry.key, std::move(value), entry.key_mark);
      continue;
    }
    path.push_back(entry.key);
    if (!existing || entry.value.tag() == Node::Tag::Override || is_extension_key(entry.key))
      result.put(entry.key, stripped_at(path, entry.value), entry.key_mark);
    else
      *existing = merge_value(path, std::move(*existing), entry.value);
    path.pop_back();
  }
  return std::move(result).to_mapping(base_mark);
}

// A string where the schema also allows a list (dns: 8.8.8.8) is a one-item
// list: calls `each` with every item, or with `n` itself (none when null).
// `n` is a Node& (items may be moved from) or a const Node&.
template <typename N, typename Each>
void for_each_item(N& n, Each&& each) {
  if (n.is_sequence()) {
    for (auto& item : n.items()) each(item);
  } else if (!n.is_null()) {
    each(n);
  }
}

// Concatenates and keeps one item per identity: a later item replaces an
// earlier one in place (or is merged into it when `merge_same`). Items
// without an identity are kept as they are. `base` is consumed.
Node merge_unique(Rule rule, Path& path, Node base, const Node& overlay, bool merge_same = false) {
  Node result = Node::sequence(base.mark());
  std::unordered_map<std::string, size_t> index_of;
  // `item`: moved from the base, copied from the overlay.
  auto add = [&](Node&& item) {
    if (item.tag() == Node::Tag::Reset) return;
    auto key = item_key(rule, item);
    if (key) {
      if (auto it = index_of.find(*key); it != index_of.end()) {
        Node& earlier = result.items()[it->second];
        if (merge_same && earlier.is_mapping() && item.is_mapping()) {
          earlier = merge_mappings(path, std::move(earlier), item);
        } else {
          strip_merge_tags(item);
          earlier = std::move(item);
        }
        return;
      }
      index_of.emplace(std::move(*key), result.items().size());
    }
    strip_merge_tags(item);
    result.push_back(std::move(item));
  };
  for_each_item(base, [&](Node& item) { add(std::move(item)); });
  for_each_item(overlay, [&](const Node& item) { add(Node(item)); });
  return result;
}

struct KeyedValue {
  std::string key;
  SourceMark key_mark;
  Node value;
};

// Splits a `K=V` list item; `host:ip` too for extra_hosts. An item without a
// separator is a key without a value (null), like `environment: [DEBUG]`.
KeyedValue split_list_item(const Node& item, bool colon_separates) {
  if (!item.is_scalar()) return {"", item.mark(), item};
  const std::string& text = item.text();
  auto sep = text.find('=');
  if (sep == std::string::npos && colon_separates) sep = text.find(':');
  if (sep == std::string::npos) return {text, item.mark(), Node::null(item.mark())};
  Node value = Node::scalar(text.substr(sep + 1), Node::Style::Quoted, item.mark());
  value.set_interpolated(item.interpolated());
  value.set_tag(item.tag());
  return {text.substr(0, sep), item.mark(), std::move(value)};
}

// The key/value pairs of a mapping or `K=V` list; `n` is consumed.
std::vector<KeyedValue> keyed_values(Node n, bool colon_separates) {
  std::vector<KeyedValue> out;
  if (n.is_mapping()) {
    for (auto& e : n.entries()) out.push_back({std::move(e.key), std::move(e.key_mark), std::move(e.value)});
    return out;
  }
  for_each_item(n, [&](const Node& item) {
    if (item.tag() != Node::Tag::Reset) out.push_back(split_list_item(item, colon_separates));
  });
  return out;
}

// list_or_dict: both lists stay a list (deduplicated by key, later wins in
// place); otherwise the result is a mapping. `base` is consumed.
Node merge_key_values(Node base, const Node& overlay, bool colon_separates) {
  if (base.is_sequence() && overlay.is_sequence()) {
    Node result = Node::sequence(base.mark());
    std::unordered_map<std::string, size_t> index_of;
    auto add = [&](Node&& item) {
      if (item.tag() == Node::Tag::Reset) return;
      std::string key = split_list_item(item, colon_separates).key;
      strip_merge_tags(item);
      if (auto it = index_of.find(key); it != index_of.end()) {
        result.items()[it->second] = std::move(item);
      } else {
        index_of.emplace(std::move(key), result.items().size());
        result.push_back(std::move(item));
      }
    };
    for (auto& item : base.items()) add(std::move(item));
    for (const auto& item : overlay.items()) add(Node(item));
    return result;
  }
  const SourceMark mark = base.is_mapping() ? base.mark() : overlay.mark();
  EntryTable result(Node::mapping());
  auto put = [&](std::vector<KeyedValue> values) {
    for (auto& kv : values) {
      if (kv.value.tag() == Node::Tag::Reset) {
        result.erase(kv.key);
        continue;
      }
      result.put(kv.key, stripped(std::move(kv.value)), kv.key_mark);
    }
  };
  put(keyed_values(std::move(base), colon_separates));
  put(keyed_values(overlay, colon_separates));
  return std::move(result).to_mapping(mark);
}

// depends_on / networks: a list item `name` is the mapping entry `name:
// <short_value>`. `n` is consumed.
Node names_as_mapping(Node n, const Node& short_value) {
  if (n.is_mapping()) return n;
  Node m = Node::mapping(n.mark());
  for_each_item(n, [&](const Node& item) {
    if (!item.is_scalar()) return;
    Node value = short_value;
    value.set_mark(item.mark());
    for (auto& e : value.entries()) e.value.set_mark(item.mark());
    m.set(item.text(), std::move(value), item.mark());
  });
  return m;
}

// An entry the overlay lists by name only keeps the base's details. `base`
// is consumed.
Node merge_named(Path& path, Node base, const Node& overlay, const Node& short_value) {
  if (base.is_sequence() && overlay.is_sequence())
    return merge_unique(Rule::UniqueText, path, std::move(base), overlay);
  const SourceMark base_mark = base.mark();
  EntryTable result(names_as_mapping(std::move(base), short_value));
  const Node overlay_mapping = names_as_mapping(overlay, short_value);
  for (const auto& entry : overlay_mapping.entries()) {
    Node* existing = result.find(entry.key);
    if (entry.value.tag() == Node::Tag::Reset) {
      result.erase(entry.key);
    } else if (!existing || entry.value.tag() == Node::Tag::Override) {
      result.put(entry.key, stripped(entry.value), entry.key_mark);
    } else if (overlay.is_mapping()) {
      path.push_back(entry.key);
      *existing = merge_value(path, std::move(*existing), entry.value);
      path.pop_back();
    }
  }
  return std::move(result).to_mapping(base_mark);
}

Node build_as_mapping(const Node& n) {
  if (!n.is_scalar()) return n;
  Node m = Node::mapping(n.mark());
  m.set("context", n, n.mark());
  return m;
}

Node merge_logging(Path& path, Node base, const Node& overlay) {
  if (!base.is_mapping() || !overlay.is_mapping()) return stripped(overlay);
  const Node* base_driver = find_scalar(base, "driver");
  const Node* overlay_driver = find_scalar(overlay, "driver");
  if (base_driver && overlay_driver && base_driver->text() != overlay_driver->text())
    return stripped(overlay);
  return merge_mappings(path, std::move(base), overlay);
}

Node merge_value(Path& path, Node base, const Node& overlay) {
  if (base.tag() != Node::Tag::None) {
    // A tagged attribute of a pending service (see is_pending_service): the
    // combined value replaces what the service extends.
    if (overlay.is_null() && overlay.tag() == Node::Tag::None) return base;
    Node result;
    if (base.tag() == Node::Tag::Reset || overlay.tag() == Node::Tag::Override) {
      result = stripped(overlay);
    } else {
      base.set_tag(Node::Tag::None);
      result = merge_value(path, std::move(base), overlay);
    }
    result.set_tag(Node::Tag::Override);
    return result;
  }
  if (overlay.tag() == Node::Tag::Override) return stripped(overlay);
  // An empty value in an override file (`environment:`) keeps the base.
  if (overlay.is_null()) return base;
  if (base.is_null()) return stripped_at(path, overlay);
  const Rule rule = rule_for(path);
  switch (rule) {
    case Rule::Replace: return stripped(overlay);
    case Rule::KeyValue: return merge_key_values(std::move(base), overlay, false);
    case Rule::ExtraHosts: return merge_key_values(std::move(base), overlay, true);
    case Rule::Ports:
    case Rule::Volumes:
    case Rule::Devices:
    case Rule::Secrets:
    case Rule::Configs:
    case Rule::EnvFiles:
    case Rule::Tmpfs:
    case Rule::UniqueText:
      if (base.is_mapping() || overlay.is_mapping()) break;
      return merge_unique(rule, path, std::move(base), overlay);
    case Rule::IpamConfig:
      if (!base.is_sequence() || !overlay.is_sequence()) break;
      return merge_unique(rule, path, std::move(base), overlay, /*merge_same=*/true);
    case Rule::DependsOn: {
      Node started = Node::mapping();
      started.set("condition", Node::scalar("service_started"));
      return merge_named(path, std::move(base), overlay, started);
    }
    case Rule::Networks: return merge_named(path, std::move(base), overlay, Node::null());
    case Rule::Build: {
      if (base.is_scalar() && overlay.is_scalar()) return stripped(overlay);
      Node b = build_as_mapping(base), o = build_as_mapping(overlay);
      if (b.is_mapping() && o.is_mapping()) return merge_mappings(path, std::move(b), o);
      return stripped(overlay);
    }
    case Rule::Logging: return merge_logging(path, std::move(base), overlay);
    case Rule::Default: break;
  }
  if (base.is_mapping() && overlay.is_mapping()) return merge_mappings(path, std::move(base), overlay);
  if (base.is_sequence() && overlay.is_sequence()) {
    for (const auto& item : overlay.items())
      if (item.tag() != Node::Tag::Reset) base.push_back(stripped(item));
    return base;
  }
  return stripped(overlay);
}

}  // namespace

void strip_merge_tags(Node& doc) {
  doc.set_tag(Node::Tag::None);
  if (doc.is_mapping()) {
    auto& entries = doc.entries();
    for (auto it = entries.begin(); it != entries.end();) {
      if (it->value.tag() == Node::Tag::Reset) {
        it = entries.erase(it);
      } else {
        strip_merge_tags(it->value);
        ++it;
      }
    }
  } else if (doc.is_sequence()) {
    auto& items = doc.items();
    for (auto it = items.begin(); it != items.end();) {
      if (it->tag() == Node::Tag::Reset) {
        it = items.erase(it);
      } else {
        strip_merge_tags(*it);
        ++it;
      }
    }
  }
}

Node merge_documents(const Node& base, const Node& overlay) {
  Node clean_base = stripped_base(base);
  if (!clean_base.is_mapping() || !overlay.is_mapping()) return stripped(overlay);
  Path path;
  return merge_mappings(path, std::move(clean_base), overlay);
}

Node merge_all(std::vector<Node> documents) {
  if (documents.empty()) return Node::mapping();
  if (documents.size() == 1) return std::move(documents.front());
  Node result = stripped_base(std::move(documents.front()));
  Path path;
  for (size_t i = 1; i < documents.size(); ++i) {
    if (!result.is_mapping() || !documents[i].is_mapping()) {
      result = stripped(std::move(documents[i]));
      continue;
    }
    result = merge_mappings(path, std::move(result), documents[i]);
  }
  return result;
}

Node merge_services(const Node& base, const Node& overlay) {
  Node clean_base = stripped(base);
  if (overlay.tag() == Node::Tag::Override) return stripped(overlay);
  if (!clean_base.is_mapping() || !overlay.is_mapping()) return stripped(overlay);
  Path path = {"services", "*"};
  return merge_mappings(path, std::move(clean_base), overlay);
}

bool same_content(const Node& a, const Node& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Node::Kind::Null: return true;
    case Node::Kind::Scalar: return a.text() == b.text();
    case Node::Kind::Sequence:
      if (a.items().size() != b.items().size()) return false;
      for (size_t i = 0; i < a.items().size(); ++i)
        if (!same_content(a.items()[i], b.items()[i])) return false;
      return true;
    case Node::Kind::Mapping: {
      if (a.entries().size() != b.entries().size()) return false;
      std::unordered_map<std::string_view, const Node*> other;
      for (const auto& e : b.entries()) other.emplace(e.key, &e.value);
      for (const auto& e : a.entries()) {
        auto it = other.find(e.key);
        if (it == other.end() || !same_content(e.value, *it->second)) return false;
      }
      return true;
    }
  }
  return false;
}

}  // namespace berth::loader
