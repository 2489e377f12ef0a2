#include "canonical.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "berth/loader/diagnostics.h"
#include "berth/loader/dotenv.h"
#include "to_json.h"
#include "berth/model/json_object.h"
#include "berth/model/units.h"
#include "berth/util/whole_int64.h"
#include "canonical_paths.h"
#include "berth/util/strings.h"

namespace berth::loader {

using nlohmann::json;

std::string located(const MarkLookup& mark, const std::string& json_pointer,
                    const std::string& message) {
  SourceMark where = mark ? mark(json_pointer) : SourceMark{};
  std::string dotted = json_pointer_to_dotted(json_pointer);
  return format_at(where, dotted.empty() ? message : dotted + ": " + message);
}

namespace {

std::string scalar_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

bool is_scalar(const json& value) { return value.is_primitive() && !value.is_null(); }

// "key=value" lines without interpolation: label files (whose keys may hold
// ".", "-", "/" that variable names may not) and env files with `format: raw`
// (values taken literally, quotes included).
void read_plain_pairs(const std::string& path, bool strip_quotes, json& out) {
  std::ifstream in(path);
  std::string line;
  auto trim = [](std::string text) {
    text.erase(0, text.find_first_not_of(" \t\r"));
    text.erase(text.find_last_not_of(" \t\r") + 1);
    return text;
  };
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    std::string key = trim(line.substr(0, eq));
    std::string value = eq == std::string::npos ? "" : trim(line.substr(eq + 1));
    if (strip_quotes && value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    if (!key.empty()) out[key] = value;
  }
}

class Canonicalizer {
 public:
  Canonicalizer(const CanonicalContext& ctx, PointerAliases* aliases)
      : ctx_(ctx), home_(home_directory(ctx.home_dir)), aliases_(aliases) {}

  void project(json& doc) {
    if (!doc.is_object()) return;
    if (auto services = doc.find("services"); services != doc.end() && services->is_object())
      for (auto& [name, service] : services->items())
        if (service.is_object()) {
          resolve_environment_ = ctx_.resolve_environment && (!ctx_.environment_of || ctx_.environment_of->count(name));
          this->service(service, "/services/" + escape_json_pointer_token(name));
        }
    for (const char* kind : {"networks", "volumes", "secrets", "configs"}) {
      auto section = doc.find(kind);
      if (section == doc.end() || !section->is_object()) continue;
      for (auto& [key, resource] : section->items()) {
        if (!resource.is_object()) continue;
        std::string ptr = std::string("/") + kind + "/" + escape_json_pointer_token(key);
        map_of_strings(resource, "labels", ptr, MissingValue::Empty);
        map_of_strings(resource, "driver_opts", ptr, MissingValue::Empty);
        if (auto file = resource.find("file"); file != resource.end() && file->is_string())
          *file = path(file->get<std::string>());
        if (std::string_view(kind) == "volumes") bind_device(resource);
      }
    }
  }

 private:
  enum class MissingValue { Empty, Null, FromEnvironment };

  [[noreturn]] void fail(const std::string& ptr, const std::string& message) const {
    throw Error(ErrorKind::Config, located(ctx_.mark, ptr, message));
  }

  std::string path(const std::string& p) const {
    if (!ctx_.resolve_paths) return p;
    return resolve_path(p, ctx_.project_dir, home_);
  }

  // A local volume that binds a host directory (`o: bind`, `device: ./data`)
  // names it relative to the project, as compose-go resolves it.
  void bind_device(json& volume) const {
    if (volume.value("driver", "local") != "local") return;
    auto opts = volume.find("driver_opts");
    if (opts == volume.end() || !opts->is_object()) return;
    auto o = opts->find("o");
    auto device = opts->find("device");
    if (o == opts->end() || !o->is_string() || device == opts->end() || !device->is_string()) return;
    bool binds = false;
    for (const auto& option : split(o->get<std::string>(), ",")) binds = binds || option == "bind" || option == "rbind";
    if (binds) *device = path(device->get<std::string>());
  }

  std::optional<std::string> environment_value(const std::string& name) const {
    auto it = ctx_.environment.find(name);
    if (it == ctx_.environment.end()) return std::nullopt;
    return it->second;
  }

  // `KEY=VALUE` lists and mappings with scalar values -> a mapping of strings.
  void map_of_strings(json& parent, const char* key, const std::string& parent_ptr,
                      MissingValue missing) const {
    auto it = parent.find(key);
    if (it == parent.end()) return;
    json& value = *it;
    json out = json::object();
    auto put_missing = [&](const std::string& name) {
      switch (missing) {
        case MissingValue::Empty: out[name] = ""; break;
        case MissingValue::Null: out[name] = nullptr; break;
        case MissingValue::FromEnvironment: {
          auto v = environment_value(name);
          out[name] = v ? json(*v) : json(nullptr);
          break;
        }
      }
    };
    if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (!is_scalar(value[i]))
          fail(parent_ptr + "/" + key + "/" + std::to_string(i), "must be a string");
        std::string item = scalar_text(value[i]);
        auto eq = item.find('=');
        std::string name = item.substr(0, eq);
        if (eq == std::string::npos) put_missing(item);
        else out[name] = item.substr(eq + 1);
        alias(parent_ptr + "/" + key + "/" + escape_json_pointer_token(name),
              parent_ptr + "/" + key + "/" + std::to_string(i));
      }
    } else if (value.is_object()) {
      for (auto& [k, v] : value.items()) {
        if (v.is_null()) put_missing(k);
        else if (is_scalar(v)) out[k] = scalar_text(v);
        else out[k] = v;
      }
    } else {
      return;
    }
    value = std::move(out);
  }

  void duration(json& parent, const char* key, const std::string& parent_ptr) const {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return;
    std::optional<int64_t> ns;
    if (it->is_number()) ns = whole_int64(it->get<double>() * 1e9);
    else if (it->is_string()) ns = model::parse_duration(it->get<std::string>());
    if (!ns) fail(parent_ptr + "/" + key, "invalid duration \"" + scalar_text(*it) + "\"");
    *it = model::format_duration(*ns);
  }

  void bytes(json& parent, const char* key, const std::string& parent_ptr) const {
    auto it = parent.find(key);
    if (it == parent.end() || it->is_null()) return;
    if (it->is_number_integer()) return;
    std::optional<int64_t> value;
    if (it->is_number()) value = whole_int64(it->get<double>());
    else if (it->is_string()) {
      const std::string text = it->get<std::string>();
      if (text == "-1") value = -1;
      else value = model::parse_bytes(text);
    }
    if (!value) fail(parent_ptr + "/" + key, "invalid byte size \"" + scalar_text(*it) + "\"");
    *it = *value;
  }

  void number(json& parent, const char* key, const std::string& parent_ptr) const {
    auto it = parent.find(key);
    if (it == parent.end() || !it->is_string()) return;
    const std::string text = it->get<std::string>();
    try {
      size_t used = 0;
      double value = std::stod(text, &used);
      if (used != text.size() || !std::isfinite(value)) throw std::invalid_argument(text);
      *it = value;
    } catch (const std::exception&) {
      fail(parent_ptr + "/" + key, "invalid number \"" + text + "\"");
    }
  }

  // The engine takes CPUs as an int64 count of billionths.
  void cpus(json& parent, const std::string& parent_ptr) const {
    number(parent, "cpus", parent_ptr);
    auto it = parent.find("cpus");
    if (it != parent.end() && it->is_number() && !whole_int64(it->get<double>() * 1e9))
      fail(parent_ptr + "/cpus", "cpus " + scalar_text(*it) + " is out of range");
  }

  // Attributes the schema lets be strings only so that interpolation can fill
  // them; compose parses the string as Go's strconv.ParseBool does.
  void boolean(json& parent, const char* key, const std::string& parent_ptr) const {
    auto it = parent.find(key);
    if (it == parent.end() || !it->is_string()) return;
    const std::string text = it->get<std::string>();
    if (text == "1" || text == "t" || text == "T" || text == "true" || text == "True" || text == "TRUE")
      *it = true;
    else if (text == "0" || text == "f" || text == "F" || text == "false" || text == "False" || text == "FALSE")
      *it = false;
    else
      fail(parent_ptr + "/" + key, "invalid boolean \"" + text + "\"");
  }

  void integer(json& parent, const char* key, const std::string& parent_ptr) const {
    auto it = parent.find(key);
    if (it == parent.end() || !it->is_string()) return;
    const std::string text = it->get<std::string>();
    try {
      size_t used = 0;
      long long value = std::stoll(text, &used);
      if (used != text.size()) throw std::invalid_argument(text);
      *it = value;
    } catch (const std::exception&) {
      fail(parent_ptr + "/" + key, "invalid integer \"" + text + "\"");
    }
  }

  void string_list(json& parent, const char* key) const {
    auto it = parent.find(key);
    if (it == parent.end()) return;
    if (is_scalar(*it)) *it = json::array({scalar_text(*it)});
    else if (it->is_array())
      for (auto& item : *it)
        if (is_scalar(item)) item = scalar_text(item);
  }

  void command(json& service, const char* key, const std::string& ptr) const {
    auto it = service.find(key);
    if (it == service.end()) return;
    // `command: null` (docker compose's JSON prints it for an unset one) is unset.
    if (it->is_null()) {
      service.erase(it);
      return;
    }
    if (it->is_string()) {
      try {
        json words = json::array();
        for (auto& w : split_shell_words(it->get<std::string>())) words.push_back(w);
        *it = std::move(words);
      } catch (const Error& e) {
        fail(ptr + "/" + key, e.message());
      }
    } else if (it->is_array()) {
      for (auto& item : *it)
        if (is_scalar(item)) item = scalar_text(item);
    }
  }

  // compose-go's Canonical(ignoreParseError) under --no-interpolate: a step
  // whose value does not parse (it may still hold `${PORT:-8080}`) leaves the
  // service as written instead of failing.
  template <class Step>
  void step(json& svc, Step&& run) {
    if (!ctx_.keep_unparsed) return run();
    json before = svc;
    try {
      run();
    } catch (const Error&) {
      svc = std::move(before);
    }
  }

  void service(json& svc, const std::string& ptr) {
    step(svc, [&] { build(svc, ptr); });
    step(svc, [&] { command(svc, "command", ptr); });
    step(svc, [&] { command(svc, "entrypoint", ptr); });
    step(svc, [&] { ports(svc, ptr); });
    step(svc, [&] { string_list(svc, "expose"); });
    step(svc, [&] { volumes(svc, ptr); });
    step(svc, [&] { depends_on(svc, ptr); });
    step(svc, [&] { env_file_and_environment(svc, ptr); });
    step(svc, [&] { map_of_strings(svc, "labels", ptr, MissingValue::Empty); });
    step(svc, [&] { map_of_strings(svc, "annotations", ptr, MissingValue::Empty); });
    step(svc, [&] { map_of_strings(svc, "sysctls", ptr, MissingValue::Empty); });
    step(svc, [&] { references(svc, "secrets"); });
    step(svc, [&] { secret_targets(svc); });
    step(svc, [&] { references(svc, "configs"); });
    step(svc, [&] { ulimits(svc, ptr); });
    step(svc, [&] { healthcheck(svc, ptr); });
    step(svc, [&] { extra_hosts(svc, "extra_hosts", ptr); });
    step(svc, [&] { networks(svc, ptr); });
    step(svc, [&] { logging(svc); });
    step(svc, [&] { devices(svc, ptr); });
    step(svc, [&] { blkio(svc, ptr); });
    step(svc, [&] { gpus(svc); });
    step(svc, [&] { string_list(svc, "tmpfs"); });
    step(svc, [&] { string_list(svc, "dns"); });
    step(svc, [&] { string_list(svc, "dns_search"); });
    for (const char* key : {"mem_limit", "memswap_limit", "mem_reservation", "shm_size"})
      step(svc, [&] { bytes(svc, key, ptr); });
    step(svc, [&] { cpus(svc, ptr); });
    step(svc, [&] { duration(svc, "stop_grace_period", ptr); });
    for (const char* key : {"attach", "init", "oom_kill_disable", "privileged", "read_only", "stdin_open", "tty"})
      step(svc, [&] { boolean(svc, key, ptr); });
    for (const char* key : {"cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_shares", "mem_swappiness",
                            "oom_score_adj", "pids_limit", "scale"})
      step(svc, [&] { integer(svc, key, ptr); });
    step(svc, [&] { deploy(svc, ptr); });
    step(svc, [&] { develop(svc, ptr); });
    for (const char* key : {"post_start", "pre_stop"})
      step(svc, [&] { hooks(svc, key, ptr); });
    step(svc, [&] { label_files(svc, ptr); });
  }

  void build(json& svc, const std::string& ptr) const {
    auto it = svc.find("build");
    if (it == svc.end()) return;
    if (it->is_string()) *it = model::json_object({{"context", *it}});
    if (!it->is_object()) return;
    json& b = *it;
    std::string bptr = ptr + "/build";
    std::string context = b.contains("context") && b["context"].is_string() ? b["context"].get<std::string>() : ".";
    if (!is_remote_context(context)) context = path(context);
    b["context"] = context;
    if (!b.contains("dockerfile") && !b.contains("dockerfile_inline")) b["dockerfile"] = "Dockerfile";
    map_of_strings(b, "args", bptr, MissingValue::FromEnvironment);
    map_of_strings(b, "labels", bptr, MissingValue::Empty);
    map_of_strings(b, "additional_contexts", bptr, MissingValue::Empty);
    if (auto extra = b.find("additional_contexts"); extra != b.end() && extra->is_object())
      for (auto& [name, value] : extra->items())
        if (value.is_string() && !is_remote_context(value.get<std::string>()))
          value = path(value.get<std::string>());
    references(b, "secrets");
    bytes(b, "shm_size", bptr);
    extra_hosts(b, "extra_hosts", bptr);
    string_list(b, "cache_from");
    string_list(b, "cache_to");
    string_list(b, "tags");
    string_list(b, "platforms");
  }

  void ports(json& svc, const std::string& ptr) const {
    auto it = svc.find("ports");
    if (it == svc.end() || !it->is_array()) return;
    json out = json::array();
    for (size_t i = 0; i < it->size(); ++i) {
      json& port = (*it)[i];
      std::string pptr = ptr + "/ports/" + std::to_string(i);
      if (port.is_number_integer()) {
        port = scalar_text(port);
      }
      if (port.is_string()) {
        try {
          for (auto& p : parse_port_spec(port.get<std::string>())) {
            alias(ptr + "/ports/" + std::to_string(out.size()), pptr);
            out.push_back(std::move(p));
          }
        } catch (const Error& e) {
          fail(pptr, e.message());
        }
        continue;
      }
      if (!port.is_object()) fail(pptr, "must be a string, number or mapping");
      json p = port;
      if (!p.contains("mode")) p["mode"] = "ingress";
      if (!p.contains("protocol")) p["protocol"] = "tcp";
      if (auto target = p.find("target"); target != p.end() && target->is_string()) {
        try {
          *target = std::stoi(target->get<std::string>());
        } catch (const std::exception&) {
          fail(pptr + "/target", "invalid container port \"" + target->get<std::string>() + "\"");
        }
      }
      if (auto published = p.find("published"); published != p.end()) {
        if (published->is_null()) p.erase("published");
        else *published = scalar_text(*published);
      }
      alias(ptr + "/ports/" + std::to_string(out.size()), pptr);
      out.push_back(std::move(p));
    }
    *it = std::move(out);
  }

  void volumes(json& svc, const std::string& ptr) const {
    auto it = svc.find("volumes");
    if (it == svc.end() || !it->is_array()) return;
    for (size_t i = 0; i < it->size(); ++i) {
      json& volume = (*it)[i];
      std::string vptr = ptr + "/volumes/" + std::to_string(i);
      if (volume.is_string()) {
        try {
          volume = parse_volume_spec(volume.get<std::string>());
        } catch (const Error& e) {
          fail(vptr, e.message());
        }
      }
      if (!volume.is_object()) continue;
      if (volume.value("type", "") == "bind") {
        if (auto source = volume.find("source"); source != volume.end() && source->is_string())
          *source = path(source->get<std::string>());
      }
      if (auto tmpfs = volume.find("tmpfs"); tmpfs != volume.end() && tmpfs->is_object())
        bytes(*tmpfs, "size", vptr + "/tmpfs");
    }
  }

  void depends_on(json& svc, const std::string& ptr) const {
    auto it = svc.find("depends_on");
    if (it == svc.end()) return;
    json out = json::object();
    if (it->is_array()) {
      for (size_t i = 0; i < it->size(); ++i) {
        if (!(*it)[i].is_string()) fail(ptr + "/depends_on/" + std::to_string(i), "must be a service name");
        const std::string name = (*it)[i].get<std::string>();
        out[name] = model::json_object({{"condition", "service_started"}, {"required", true}});
        alias(ptr + "/depends_on/" + escape_json_pointer_token(name), ptr + "/depends_on/" + std::to_string(i));
      }
    } else if (it->is_object()) {
      for (auto& [name, dep] : it->items()) {
        json d = dep.is_object() ? dep : json::object();
        if (!d.contains("condition")) d["condition"] = "service_started";
        if (!d.contains("required")) d["required"] = true;
        out[name] = std::move(d);
      }
    } else {
      return;
    }
    *it = std::move(out);
  }

  // env_file entries become {path, required}; when the environment is
  // resolved, their variables join `environment` (written ones win) and
  // env_file is dropped, as in compose's config output.
  void env_file_and_environment(json& svc, const std::string& ptr) const {
    map_of_strings(svc, "environment", ptr,
                   resolve_environment_ ? MissingValue::FromEnvironment : MissingValue::Null);
    auto it = svc.find("env_file");
    if (it == svc.end()) return;
    if (it->is_string()) *it = json::array({*it});
    if (!it->is_array()) return;
    for (size_t i = 0; i < it->size(); ++i) {
      json& entry = (*it)[i];
      if (entry.is_string()) entry = model::json_object({{"path", entry}});
      if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string())
        fail(ptr + "/env_file/" + std::to_string(i), "must be a path or a mapping with path");
      if (!entry.contains("required")) entry["required"] = true;
      entry["path"] = path(entry["path"].get<std::string>());
    }
    if (!resolve_environment_) return;
    json from_files = json::object();
    for (size_t i = 0; i < it->size(); ++i) {
      const json& entry = (*it)[i];
      std::string eptr = ptr + "/env_file/" + std::to_string(i);
      const std::string file = entry["path"].get<std::string>();
      std::string readable = resolve_path(file, ctx_.project_dir, home_);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(readable, ec)) {
        if (entry["required"].is_boolean() && !entry["required"].get<bool>()) continue;
        fail(eptr, "env file " + readable + " not found");
      }
      if (entry.value("format", "") == "raw") {
        read_plain_pairs(readable, false, from_files);
        continue;
      }
      auto lookup = [this](const std::string& name) { return environment_value(name); };
      for (auto& [k, v] : read_dotenv_file(readable, lookup)) from_files[k] = v;
    }
    svc.erase("env_file");
    if (from_files.empty()) return;
    json& env = svc["environment"];
    if (!env.is_object()) env = json::object();
    for (auto& [k, v] : from_files.items())
      if (!env.contains(k)) env[k] = v;
  }

  // Labels read from label_file entries; labels written in the service win.
  void label_files(json& svc, const std::string& ptr) const {
    auto it = svc.find("label_file");
    if (it == svc.end()) return;
    string_list(svc, "label_file");
    json from_files = json::object();
    for (size_t i = 0; i < it->size(); ++i) {
      json& entry = (*it)[i];
      if (!entry.is_string()) continue;
      std::string file = path(entry.get<std::string>());
      entry = file;
      std::string readable = resolve_path(file, ctx_.project_dir, home_);
      std::error_code ec;
      if (!std::filesystem::is_regular_file(readable, ec))
        fail(ptr + "/label_file/" + std::to_string(i), "label file " + readable + " not found");
      read_plain_pairs(readable, true, from_files);
    }
    if (from_files.empty()) return;
    json& labels = svc["labels"];
    if (!labels.is_object()) labels = json::object();
    for (auto& [k, v] : from_files.items())
      if (!labels.contains(k)) labels[k] = v;
  }

  static void references(json& parent, const char* key) {
    auto it = parent.find(key);
    if (it == parent.end() || !it->is_array()) return;
    for (auto& ref : *it)
      if (ref.is_string()) ref = model::json_object({{"source", ref}});
  }

  // compose-go's default value: a service's secret without a target is
  // mounted at /run/secrets/<source>, and its config says so.
  static void secret_targets(json& svc) {
    auto it = svc.find("secrets");
    if (it == svc.end() || !it->is_array()) return;
    for (auto& ref : *it)
      if (ref.is_object() && !ref.contains("target") && ref.contains("source") && ref["source"].is_string())
        ref["target"] = "/run/secrets/" + ref["source"].get<std::string>();
  }

  void ulimits(json& svc, const std::string& ptr) const {
    auto it = svc.find("ulimits");
    if (it == svc.end() || !it->is_object()) return;
    for (auto& [name, limit] : it->items()) {
      std::string lptr = ptr + "/ulimits/" + escape_json_pointer_token(name);
      if (limit.is_string()) {
        try {
          limit = std::stoll(limit.get<std::string>());
        } catch (const std::exception&) {
          fail(lptr, "invalid ulimit \"" + limit.get<std::string>() + "\"");
        }
      }
      // A single value stays one (compose-go's UlimitsConfig.Single): the
      // engine gets it as both soft and hard limit.
    }
  }

  void healthcheck(json& svc, const std::string& ptr) const {
    auto it = svc.find("healthcheck");
    if (it == svc.end() || !it->is_object()) return;
    json& hc = *it;
    if (auto test = hc.find("test"); test != hc.end() && test->is_string())
      *test = json::array({"CMD-SHELL", test->get<std::string>()});
    for (const char* key : {"interval", "timeout", "start_period", "start_interval"})
      duration(hc, key, ptr + "/healthcheck");
    boolean(hc, "disable", ptr + "/healthcheck");
    integer(hc, "retries", ptr + "/healthcheck");
  }

  void extra_hosts(json& parent, const char* key, const std::string& ptr) const {
    auto it = parent.find(key);
    if (it == parent.end()) return;
    std::vector<std::string> entries;
    auto add = [&](const std::string& host, std::string ip, const std::string& where) {
      if (host.empty() || host.find_first_of(":=") != std::string::npos)
        fail(where, "bad host name \"" + host + "\"");
      if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
      entries.push_back(host + "=" + ip);
    };
    if (it->is_array()) {
      for (size_t i = 0; i < it->size(); ++i) {
        std::string item = scalar_text((*it)[i]);
        std::string where = ptr + "/" + key + "/" + std::to_string(i);
        auto sep = item.find('=');
        if (sep == std::string::npos) sep = item.find(':');
        if (sep == std::string::npos) fail(where, "invalid additional host, missing IP: " + item);
        add(item.substr(0, sep), item.substr(sep + 1), where);
      }
    } else if (it->is_object()) {
      for (auto& [host, ips] : it->items()) {
        std::string where = ptr + "/" + key + "/" + escape_json_pointer_token(host);
        if (ips.is_array())
          for (auto& ip : ips) add(host, scalar_text(ip), where);
        else
          add(host, scalar_text(ips), where);
      }
    } else {
      return;
    }
    std::sort(entries.begin(), entries.end());
    *it = entries;
  }

  void networks(json& svc, const std::string& ptr) const {
    auto it = svc.find("networks");
    if (it == svc.end() || !it->is_array()) return;
    json out = json::object();
    for (size_t i = 0; i < it->size(); ++i) {
      const json& name = (*it)[i];
      if (!name.is_string()) continue;
      out[name.get<std::string>()] = nullptr;
      alias(ptr + "/networks/" + escape_json_pointer_token(name.get<std::string>()),
            ptr + "/networks/" + std::to_string(i));
    }
    *it = std::move(out);
  }

  void logging(json& svc) const {
    auto it = svc.find("logging");
    if (it == svc.end() || !it->is_object()) return;
    map_of_strings(*it, "options", "", MissingValue::Empty);
  }

  void devices(json& svc, const std::string& ptr) const {
    auto it = svc.find("devices");
    if (it == svc.end() || !it->is_array()) return;
    for (size_t i = 0; i < it->size(); ++i) {
      json& device = (*it)[i];
      if (!device.is_string()) continue;
      std::string spec = device.get<std::string>();
      const std::vector<std::string> parts = split(spec, ":");
      std::string where = ptr + "/devices/" + std::to_string(i);
      if (parts.size() > 3 || parts[0].empty()) fail(where, "invalid device \"" + spec + "\"");
      json d = model::json_object({{"source", parts[0]}, {"target", parts[0]}, {"permissions", "rwm"}});
      if (parts.size() >= 2) {
        // "src:perm" when the second part is only permission letters
        bool permissions = parts.size() == 2 && !parts[1].empty() &&
                           parts[1].find_first_not_of("rwm") == std::string::npos;
        if (permissions) d["permissions"] = parts[1];
        else d["target"] = parts[1];
      }
      if (parts.size() == 3) d["permissions"] = parts[2];
      device = std::move(d);
    }
  }

  void blkio(json& svc, const std::string& ptr) const {
    auto it = svc.find("blkio_config");
    if (it == svc.end() || !it->is_object()) return;
    for (const char* key : {"device_read_bps", "device_write_bps"}) {
      auto list = it->find(key);
      if (list == it->end() || !list->is_array()) continue;
      for (size_t i = 0; i < list->size(); ++i)
        if ((*list)[i].is_object())
          bytes((*list)[i], "rate", ptr + "/blkio_config/" + key + "/" + std::to_string(i));
    }
  }

  static void gpus(json& svc) {
    auto it = svc.find("gpus");
    if (it == svc.end()) return;
    if (it->is_string() && it->get<std::string>() == "all") *it = json::array({json{{"count", -1}}});
    if (!it->is_array()) return;
    for (auto& gpu : *it)
      if (auto count = gpu.find("count"); count != gpu.end() && count->is_string() && count->get<std::string>() == "all")
        *count = -1;
  }

  // A watch rule's path is absolute; its sync+exec command is a hook's.
  void develop(json& svc, const std::string& ptr) const {
    auto it = svc.find("develop");
    if (it == svc.end() || !it->is_object()) return;
    auto watch = it->find("watch");
    if (watch == it->end() || !watch->is_array()) return;
    for (size_t i = 0; i < watch->size(); ++i) {
      json& rule = (*watch)[i];
      if (!rule.is_object()) continue;
      if (auto p = rule.find("path"); p != rule.end() && p->is_string()) *p = path(p->get<std::string>());
      if (auto exec = rule.find("exec"); exec != rule.end() && exec->is_object())
        hook(*exec, ptr + "/develop/watch/" + std::to_string(i) + "/exec");
    }
  }

  // post_start / pre_stop: each hook's command as words (like `command`),
  // its environment as a mapping (a bare name takes the process's value).
  void hooks(json& svc, const char* key, const std::string& ptr) const {
    auto it = svc.find(key);
    if (it == svc.end() || !it->is_array()) return;
    for (size_t i = 0; i < it->size(); ++i)
      if ((*it)[i].is_object()) hook((*it)[i], ptr + "/" + key + "/" + std::to_string(i));
  }

  void hook(json& h, const std::string& ptr) const {
    command(h, "command", ptr);
    map_of_strings(h, "environment", ptr, MissingValue::FromEnvironment);
    boolean(h, "privileged", ptr);
  }

  void deploy(json& svc, const std::string& ptr) const {
    auto it = svc.find("deploy");
    if (it == svc.end() || !it->is_object()) return;
    json& d = *it;
    std::string dptr = ptr + "/deploy";
    map_of_strings(d, "labels", dptr, MissingValue::Empty);
    integer(d, "replicas", dptr);
    for (const char* section : {"update_config", "rollback_config"})
      if (auto s = d.find(section); s != d.end() && s->is_object()) {
        duration(*s, "delay", dptr + "/" + section);
        duration(*s, "monitor", dptr + "/" + section);
      }
    if (auto rp = d.find("restart_policy"); rp != d.end() && rp->is_object()) {
      duration(*rp, "delay", dptr + "/restart_policy");
      duration(*rp, "window", dptr + "/restart_policy");
    }
    if (auto resources = d.find("resources"); resources != d.end() && resources->is_object())
      for (const char* section : {"limits", "reservations"})
        if (auto s = resources->find(section); s != resources->end() && s->is_object()) {
          std::string sptr = dptr + "/resources/" + section;
          bytes(*s, "memory", sptr);
          // The schema types deploy memory as a string only (compose prints "52428800").
          if (auto memory = s->find("memory"); memory != s->end() && memory->is_number())
            *memory = scalar_text(*memory);
          cpus(*s, sptr);
        }
  }

  // Records that the value now at `now` was written at `was` (before a list
  // became a mapping or a port range was expanded), so positions survive.
  void alias(const std::string& now, const std::string& was) const {
    if (aliases_ && now != was) (*aliases_)[now] = was;
  }

  const CanonicalContext& ctx_;
  std::string home_;
  PointerAliases* aliases_;
  bool resolve_environment_ = true;  // the current service's
};

}  // namespace

void canonicalize(nlohmann::json& project, const CanonicalContext& ctx, PointerAliases* aliases) {
  Canonicalizer(ctx, aliases).project(project);
}

MarkLookup with_aliases(MarkLookup mark, std::shared_ptr<const PointerAliases> aliases) {
  if (!mark) return mark;
  return [mark = std::move(mark), aliases = std::move(aliases)](const std::string& pointer) {
    // The longest prefix that was moved decides where the value was written.
    size_t end = pointer.size();
    while (end > 0 && end != std::string::npos) {
      auto it = aliases->find(pointer.substr(0, end));
      if (it != aliases->end()) return mark(it->second + pointer.substr(end));
      end = pointer.rfind('/', end - 1);
    }
    return mark(pointer);
  };
}

}  // namespace berth::loader
