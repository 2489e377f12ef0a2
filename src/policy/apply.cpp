#include "berth/policy/apply.h"

#include <nlohmann/json.hpp>

#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/util/strings.h"
#include "capabilities.h"
#include "hazards.h"
#include "service_settings.h"
#include "service_json.h"

namespace berth::policy {

using nlohmann::json;

std::string Refusal::to_string() const {
  std::string where = mark.known() ? mark.to_string() + ": " : "";
  std::string text = where + "service \"" + service + "\": " + message;
  if (allow.empty()) return text;
  return text + "; to permit it, add x-berth: {allow: [" + allow + "]} to the service";
}

namespace {

constexpr int64_t kPidsLimit = 2048;

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

using service_json::deploy_limits;
using service_json::present;
using service_json::strings_at;

bool has_pids_limit(const json& s) {
  if (present(s, "pids_limit")) return true;
  const json* limits = deploy_limits(s);
  return limits && present(*limits, "pids");
}

bool mounts_at(const json& s, const std::string& target) {
  for (const auto& t : strings_at(s, "tmpfs"))
    if (t.substr(0, t.find(':')) == target) return true;
  if (auto v = s.find("volumes"); v != s.end() && v->is_array())
    for (const auto& m : *v)
      if (m.is_object() && m.value("target", "") == target) return true;
  return false;
}

std::string level_suffix(Level level) {
  return " (refused by the " + std::string(to_string(level)) + " security policy)";
}

// The settings that give the container power over the host and that the
// service does not allow: they need nothing from the image.
void hazard_refusals(const model::Project& project, const model::Service& service, Level level,
                     std::vector<Refusal>& out) {
  if (level == Level::Compat) return;
  auto allow = allowed(project, service);
  for (const auto& h : hazards(project, *service.json))
    if (!allow.count(h.allow))
      out.push_back({service.name, h.allow, h.message + level_suffix(level),
                     mark_at(project, "/services/" + service.name + h.where)});
}

// Whatever the level: an environment's forbidden labels are about where a
// service may run, not about how it is confined.
void forbidden_label_refusals(const model::Project& project, const PolicyOptions& options,
                              std::vector<Refusal>& out) {
  for (const auto& service : project.services) {
    auto labels = service.json->find("labels");
    if (labels == service.json->end() || !labels->is_object()) continue;
    for (const auto& label : options.forbid_labels) {
      if (!labels->contains(label)) continue;
      std::string pointer = "/services/" + service.name + "/labels/" + escape_json_pointer_token(label);
      out.push_back({service.name, "",
                     "carries the label \"" + label + "\", which environment \"" + options.environment +
                         "\" forbids (x-berth.environments." + options.environment +
                         ".forbid_labels); remove the label, or keep the service out of this environment "
                         "(e.g. profiles: [dev])",
                     mark_at(project, pointer)});
    }
  }
}

[[noreturn]] void throw_refusals(const std::vector<Refusal>& refusals) {
  std::string message = refusals.size() == 1 ? "a setting is refused by the security policy:"
                                             : std::to_string(refusals.size()) +
                                                   " settings are refused by the security policy:";
  for (const auto& r : refusals) message += "\n  " + r.to_string();
  message += "\n(`berth audit` explains each finding; --security compat runs the file as docker compose would)";
  throw Error(ErrorKind::Policy, message);
}

class ServicePolicy {
 public:
  ServicePolicy(const model::Project& project, model::Service& service, Level level, const PolicyOptions& options,
                PolicyResult& result)
      : project_(project), service_(service), s_(*service.json), level_(level), options_(options), result_(result) {}

  ServiceOutcome run() {
    ServiceOutcome outcome{service_.name, level_, {}, {}};
    if (level_ == Level::Compat) return outcome;
    auto allow = allowed(project_, service_);
    hazard_refusals(project_, service_, level_, result_.refusals);
    UserKind user = effective_user();
    if (level_ == Level::Strict && user != UserKind::NonRoot && !allow.count("root")) {
      std::string why = user == UserKind::Root ? "runs as root" : "has no known user (the image is not available locally)";
      refuse("root", "the strict policy requires a non-root user and the service " + why +
                         "; set user: (e.g. \"1000:1000\") or use an image with a non-root USER",
             present(s_, "user") ? "/user" : "");
    }
    no_new_privileges();
    capabilities(user);
    ports();
    if (!has_pids_limit(s_)) set("pids_limit", kPidsLimit, "pids_limit=2048");
    init();
    if (level_ == Level::Strict) read_only_root();
    if (!set_.empty()) label();
    // Of the fields Service binds, the policy changes only the ports.
    if (ports_changed_) service_.bind_ports();
    outcome.set = set_;
    outcome.pointers = pointers_;
    return outcome;
  }

 private:
  void refuse(const std::string& allow, const std::string& message, const std::string& where) {
    std::string pointer = "/services/" + service_.name + where;
    result_.refusals.push_back({service_.name, allow, message + level_suffix(level_), mark_at(project_, pointer)});
  }

  void set(const char* key, json value, std::string what) {
    s_[key] = std::move(value);
    set_.push_back(std::move(what));
    pointers_.push_back(std::string("/") + key);
  }

  UserKind effective_user() {
    if (auto it = s_.find("user"); it != s_.end() && it->is_string()) return user_kind(it->get<std::string>());
    if (auto facts = image_facts()) return user_kind(facts->user);
    return UserKind::Unknown;
  }

  const std::optional<ImageFacts>& image_facts() {
    if (!facts_asked_) {
      facts_asked_ = true;
      if (options_.image) facts_ = options_.image(service_.image_name(project_.name));
    }
    return facts_;
  }

  void no_new_privileges() {
    auto opts = strings_at(s_, "security_opt");
    for (const auto& o : opts)
      if (o.starts_with("no-new-privileges")) return;  // the user's choice, whichever way
    opts.push_back("no-new-privileges:true");
    set("security_opt", opts, "security_opt=no-new-privileges:true");
  }

  void capabilities(UserKind user) {
    if (present(s_, "cap_drop")) return;
    if (auto p = s_.find("privileged"); p != s_.end() && p->is_boolean() && p->get<bool>()) return;
    auto user_adds = strings_at(s_, "cap_add");
    CapabilitySets sets = capability_sets(level_, user, user_adds);
    set("cap_drop", sets.drop, "cap_drop=" + join(sets.drop, ","));
    if (sets.add != user_adds) set("cap_add", sets.add, "cap_add=" + join(sets.add, ","));
  }

  void ports() {
    auto it = s_.find("ports");
    if (it == s_.end() || !it->is_array()) return;
    bool changed = false;
    for (size_t i = 0; i < it->size(); ++i) {
      json& port = (*it)[i];
      if (!port.is_object() || (port.contains("host_ip") && !port["host_ip"].is_null())) continue;
      port["host_ip"] = "127.0.0.1";
      pointers_.push_back("/ports/" + std::to_string(i) + "/host_ip");
      changed = true;
    }
    if (changed) set_.push_back("ports.host_ip=127.0.0.1");
    ports_changed_ = changed;
  }

  void init() {
    if (present(s_, "init")) return;
    std::vector<std::string> entrypoint;
    if (present(s_, "entrypoint")) entrypoint = strings_at(s_, "entrypoint");
    else if (const auto& facts = image_facts()) entrypoint = facts->entrypoint;
    if (is_init_entrypoint(entrypoint)) return;
    set("init", true, "init=true");
  }

  void read_only_root() {
    if (!present(s_, "read_only")) set("read_only", true, "read_only=true");
    std::vector<std::string> added;
    for (const char* dir : {"/tmp", "/run"})
      if (!mounts_at(s_, dir)) added.push_back(dir);
    if (added.empty()) return;
    auto tmpfs = strings_at(s_, "tmpfs");
    tmpfs.insert(tmpfs.end(), added.begin(), added.end());
    set("tmpfs", tmpfs, "tmpfs+=" + join(added, ","));
  }

  void label() {
    json& labels = s_["labels"];
    if (!labels.is_object()) labels = json::object();
    if (labels.contains(model::labels::kBerthPolicy)) return;  // the user's own value wins
    labels[model::labels::kBerthPolicy] = std::string(to_string(level_)) + ": " + join(set_, "; ");
  }

  const model::Project& project_;
  model::Service& service_;
  json& s_;
  Level level_;
  const PolicyOptions& options_;
  PolicyResult& result_;
  std::vector<std::string> set_;
  std::vector<std::string> pointers_;
  bool facts_asked_ = false;
  bool ports_changed_ = false;
  std::optional<ImageFacts> facts_;
};

}  // namespace

PolicyResult evaluate(model::Project& project, const PolicyOptions& options) {
  PolicyResult result;
  Level level = project_level(project, options.level);
  forbidden_label_refusals(project, options, result.refusals);
  for (auto& service : project.services) {
    Level service_level_ = service_level(project, service, level);
    result.services.push_back(ServicePolicy(project, service, service_level_, options, result).run());
  }
  return result;
}

PolicyResult apply(model::Project& project, const PolicyOptions& options) {
  PolicyResult result = evaluate(project, options);
  if (result.refusals.empty()) return result;
  throw_refusals(result.refusals);
}

void check_before_images(const model::Project& project, const PolicyOptions& options) {
  std::vector<Refusal> refusals;
  Level level = project_level(project, options.level);
  forbidden_label_refusals(project, options, refusals);
  for (const auto& service : project.services)
    hazard_refusals(project, service, service_level(project, service, level), refusals);
  if (!refusals.empty()) throw_refusals(refusals);
}

}  // namespace berth::policy
