#include "berth/policy/audit.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/model/project.h"
#include "capabilities.h"
#include "dockerfile_rules.h"
#include "hazards.h"
#include "rules.h"
#include "service_settings.h"
#include "service_json.h"

namespace berth::policy {

using nlohmann::json;

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
  }
  return "medium";
}

std::optional<Severity> parse_severity(const std::string& text) {
  if (text == "low") return Severity::Low;
  if (text == "medium") return Severity::Medium;
  if (text == "high") return Severity::High;
  return std::nullopt;
}

namespace {

using service_json::deploy_limits;
using service_json::present;
using service_json::strings_at;

bool limited(const json& s, std::initializer_list<const char*> keys, const char* deploy_key) {
  for (const char* key : keys)
    if (present(s, key)) return true;
  const json* limits = deploy_limits(s);
  return limits && present(*limits, deploy_key);
}

class ServiceChecker {
 public:
  ServiceChecker(const model::Project& project, const model::Service& service, const ImageLookup& image,
                 const std::map<std::string, int>& volume_users, std::vector<Finding>& out)
      : project_(project), service_(service), s_(*service.json), image_(image), volume_users_(volume_users),
        out_(out) {}

  void run() {
    for (const auto& h : hazards(project_, s_))
      if (const Rule* r = rule_for_allow(h.allow)) add(r->id, h.message, h.where);
    security_options();
    ports();
    resources();
    if (present(s_, "cgroup_parent")) add("cgroup-parent", "cgroup_parent is set", "/cgroup_parent");
    healthcheck();
    restart();
    capabilities();
    volumes();
    user();
    if (!(present(s_, "read_only") && s_["read_only"] == true))
      add("writable-rootfs", "the root filesystem is writable", present(s_, "read_only") ? "/read_only" : "");
  }

 private:
  void add(const std::string& id, const std::string& message, const std::string& where, std::string subject = "") {
    out_.push_back(make_finding(rule(id), service_.name, mark_at(project_, "/services/" + service_.name + where),
                                message, subject.empty() ? where : subject));
  }

  const std::optional<ImageFacts>& facts() {
    if (!asked_) {
      asked_ = true;
      if (image_) facts_ = image_(service_.image_name(project_.name));
    }
    return facts_;
  }

  void security_options() {
    auto opts = strings_at(s_, "security_opt");
    if (opts.empty()) add("security-opt-missing", "no security_opt is set", "");
    bool nnp = false;
    for (const auto& o : opts)
      nnp = nnp || o == "no-new-privileges" || o == "no-new-privileges:true" || o == "no-new-privileges=true";
    if (!nnp)
      add("no-new-privileges", "processes can gain privileges through setuid binaries (no-new-privileges is not set)",
          present(s_, "security_opt") ? "/security_opt" : "");
  }

  // One finding per port entry as written: a range ("70-8000:70-8000")
  // that the loader expanded into one entry per port is reported once.
  void ports() {
    auto it = s_.find("ports");
    if (it == s_.end() || !it->is_array()) return;
    const std::string prefix = "/services/" + service_.name + "/ports/";
    for (size_t first = 0; first < it->size();) {
      const json& p = (*it)[first];
      const SourceMark mark = mark_at(project_, prefix + std::to_string(first));
      size_t last = first;
      while (last + 1 < it->size() && mark.known() && (*it)[last + 1].is_object() &&
             (*it)[last + 1].value("host_ip", "") == p.value("host_ip", "") &&
             mark_at(project_, prefix + std::to_string(last + 1)).to_string() == mark.to_string())
        ++last;
      if (p.is_object()) port_entry(*it, first, last);
      first = last + 1;
    }
  }

  void port_entry(const json& ports, size_t first, size_t last) {
    auto port_text = [](const json& p, const char* key) {
      if (!p.contains(key)) return std::string();
      return p[key].is_string() ? p[key].get<std::string>() : p[key].dump();
    };
    auto range = [&](const char* key) {
      const std::string from = port_text(ports[first], key), to = port_text(ports[last], key);
      return from == to ? from : from + "-" + to;
    };
    const std::string where = "/ports/" + std::to_string(first);
    const std::string host_ip = ports[first].value("host_ip", "");
    const std::string published = range("published");
    const std::string target = range("target");
    const bool several = first != last;
    if (host_ip.empty() || host_ip == "0.0.0.0" || host_ip == "::")
      add("ports-all-interfaces",
          std::string(several ? "ports " : "port ") + (published.empty() ? "(any)" : published) + ":" + target +
              (several ? " are" : " is") + " published on all interfaces",
          where);
    // A host port below 1024 anywhere in the entry.
    std::string privileged;
    for (size_t i = first; i <= last && privileged.empty(); ++i) {
      const std::string port = port_text(ports[i], "published");
      try {
        if (!port.empty() && std::stoi(port) > 0 && std::stoi(port) < 1024) privileged = port;
      } catch (const std::exception&) {
        // a range or a variable the loader left alone: nothing to say
      }
    }
    if (!privileged.empty())
      add("privileged-port",
          several ? "host ports " + published + " include privileged ports" : "host port " + privileged +
                                                                                   " is a privileged port",
          where);
  }

  void resources() {
    if (!limited(s_, {"mem_limit"}, "memory")) add("memory-limit", "memory is not limited", "");
    if (!limited(s_, {"cpus", "cpu_quota", "cpu_shares", "cpuset"}, "cpus")) add("cpu-limit", "CPU is not limited", "");
    pids();
  }

  // No limit, or one that means none: 0 and -1 are "unlimited" to the engine.
  void pids() {
    const json* value = nullptr;
    std::string where = "/pids_limit";
    if (auto it = s_.find("pids_limit"); it != s_.end() && !it->is_null()) {
      value = &*it;
    } else if (const json* limits = deploy_limits(s_); limits && present(*limits, "pids")) {
      value = &(*limits)["pids"];
      where = "/deploy/resources/limits/pids";
    }
    if (!value) {
      add("pids-limit", "the number of processes is not limited", "");
      return;
    }
    if (value->is_number_integer() && value->get<std::int64_t>() <= 0)
      add("pids-limit", "pids limit " + value->dump() + " leaves the number of processes unlimited", where);
  }

  void healthcheck() {
    if (service_.has_healthcheck) return;
    if (present(s_, "healthcheck")) {
      add("healthcheck-missing", "the healthcheck is disabled", "/healthcheck");
      return;
    }
    if (facts() && facts()->has_healthcheck) return;
    add("healthcheck-missing",
        facts() ? "neither the service nor its image defines a healthcheck" : "the service defines no healthcheck", "");
  }

  // CIS 5.15 asks for on-failure with at most... exactly 5 attempts: a
  // crashing service is retried, then left stopped.
  void restart() {
    std::string policy = service_.restart;
    std::string where = "/restart";
    if (auto d = s_.find("deploy"); d != s_.end() && d->is_object())
      if (auto rp = d->find("restart_policy"); rp != d->end() && rp->is_object()) {
        std::string condition = rp->value("condition", "any");
        policy = condition == "none" ? "no" : condition == "on-failure" ? "on-failure" : "always";
        if (rp->contains("max_attempts")) policy += ":" + (*rp)["max_attempts"].dump();
        where = "/deploy/restart_policy";
      }
    if (policy == "always" || policy == "unless-stopped") {
      add("restart-unbounded", "restart: " + policy + " restarts a crashing service forever", where);
    } else if (policy.starts_with("on-failure")) {
      int count = 0;
      try {
        count = policy.size() > 11 ? std::stoi(policy.substr(11)) : 0;
      } catch (const std::exception&) {
      }
      if (count <= 0)
        add("restart-unbounded", "restart: " + policy + " retries a crashing service without a limit", where);
      else if (count != 5)
        add("restart-unbounded", "restart: " + policy + " retries " + std::to_string(count) + " times, not 5", where);
    }
  }

  void capabilities() {
    static const std::set<std::string> dangerous{"ALL",        "SYS_ADMIN",  "NET_ADMIN", "SYS_PTRACE",
                                                 "SYS_MODULE", "SYS_RAWIO",  "DAC_READ_SEARCH", "BPF",
                                                 "PERFMON",    "SYS_BOOT",   "MAC_ADMIN"};
    auto adds = strings_at(s_, "cap_add");
    for (size_t i = 0; i < adds.size(); ++i) {
      std::string name = adds[i].starts_with("CAP_") ? adds[i].substr(4) : adds[i];
      Finding* before = nullptr;
      add("cap-added", "capability " + adds[i] + " is added", "/cap_add/" + std::to_string(i), "/cap_add/" + name);
      before = &out_.back();
      if (dangerous.count(name)) before->severity = Severity::High;
    }
    auto drops = strings_at(s_, "cap_drop");
    if (std::find(drops.begin(), drops.end(), "ALL") == drops.end())
      add("caps-not-dropped",
          drops.empty() ? "the engine's default capabilities are kept (none dropped)"
                        : "capabilities are dropped one by one, not all",
          present(s_, "cap_drop") ? "/cap_drop" : "");
  }

  void volumes() {
    auto it = s_.find("volumes");
    if (it == s_.end() || !it->is_array()) return;
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      if (!v.is_object() || v.value("type", "") != "volume" || v.value("read_only", false)) continue;
      std::string source = v.value("source", "");
      auto users = volume_users_.find(source);
      if (source.empty() || users == volume_users_.end() || users->second < 2) continue;
      add("shared-volume", "volume " + source + " is mounted writable here and in another service",
          "/volumes/" + std::to_string(i));
    }
  }

  void user() {
    std::string why;
    if (auto it = s_.find("user"); it != s_.end() && it->is_string()) {
      if (user_kind(*it) != UserKind::Root) return;
      add("root-user", "the service runs as root (user: " + it->get<std::string>() + ")", "/user");
      return;
    }
    if (!facts()) {
      add("root-user", "no user: is set and the image is not available to check its USER (the engine defaults to root)",
          "");
      return;
    }
    if (user_kind(facts()->user) == UserKind::Root)
      add("root-user", "the image runs as root and no user: is set", "");
  }

  const model::Project& project_;
  const model::Service& service_;
  const json& s_;
  const ImageLookup& image_;
  const std::map<std::string, int>& volume_users_;
  std::vector<Finding>& out_;
  bool asked_ = false;
  std::optional<ImageFacts> facts_;
};

std::string finding_key(const Finding& f) { return f.id + "\n" + f.service + "\n" + f.subject; }

}  // namespace

std::vector<Finding> check(const model::Project& project, const ImageLookup& image) {
  // How many services mount each named volume writable.
  std::map<std::string, int> volume_users;
  for (const auto& service : project.services) {
    std::set<std::string> mine;
    for (const auto& v : service.volumes)
      if (v.type == "volume" && !v.source.empty() && !v.read_only) mine.insert(v.source);
    for (const auto& name : mine) ++volume_users[name];
  }
  std::vector<Finding> out;
  for (const auto& service : project.services) {
    ServiceChecker(project, service, image, volume_users, out).run();
    for (auto& f : dockerfile_findings(project, service)) out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> audit(const model::Project& project, const PolicyOptions& options) {
  PolicyOptions shared = options;
  shared.image = cached(options.image);
  std::vector<Finding> findings = check(project, shared.image);
  model::Project secured = project;
  evaluate(secured, shared);
  std::set<std::string> remaining;
  for (const auto& f : check(secured, shared.image)) remaining.insert(finding_key(f));
  for (auto& f : findings) f.mitigated = !remaining.count(finding_key(f));
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.service != b.service) return a.service < b.service;
    return a.id < b.id;
  });
  return findings;
}

size_t count_failing(const std::vector<Finding>& findings, Severity threshold) {
  return std::count_if(findings.begin(), findings.end(),
                       [&](const Finding& f) { return !f.mitigated && f.severity >= threshold; });
}

}  // namespace berth::policy
