#include "watch_rules.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "berth/model/project.h"
#include "berth/util/error.h"

namespace berth::service {

using nlohmann::json;

const char* to_string(WatchAction action) {
  switch (action) {
    case WatchAction::Sync: return "sync";
    case WatchAction::Rebuild: return "rebuild";
    case WatchAction::Restart: return "restart";
    case WatchAction::SyncRestart: return "sync+restart";
    case WatchAction::SyncExec: return "sync+exec";
  }
  return "?";
}

bool syncs(WatchAction action) {
  return action == WatchAction::Sync || action == WatchAction::SyncRestart || action == WatchAction::SyncExec;
}

namespace {

std::string strip_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::vector<std::string> patterns_of(const json& rule, const char* key, const std::string& where) {
  std::vector<std::string> out;
  auto it = rule.find(key);
  if (it == rule.end() || it->is_null()) return out;
  if (!it->is_array()) throw Error(ErrorKind::Config, where + "." + key + " must be a list of patterns");
  std::string text;
  for (const auto& p : *it)
    if (p.is_string()) text += p.get<std::string>() + "\n";
  try {
    return builder::parse_dockerignore(text);
  } catch (Error& e) {
    e.add_context(where + "." + key);
    throw;
  }
}

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

WatchAction parse_action(const std::string& text, const std::string& where) {
  if (text == "sync") return WatchAction::Sync;
  if (text == "rebuild") return WatchAction::Rebuild;
  if (text == "restart") return WatchAction::Restart;
  if (text == "sync+restart") return WatchAction::SyncRestart;
  if (text == "sync+exec") return WatchAction::SyncExec;
  throw Error(ErrorKind::Config, where + ".action: unknown watch action \"" + text +
                                     "\" (sync, rebuild, restart, sync+restart, sync+exec)");
}

}  // namespace

std::optional<std::string> relative_below(const std::string& root, const std::string& absolute) {
  if (absolute == root) return std::string();
  if (root == "/") return absolute.size() > 1 && absolute[0] == '/' ? std::optional(absolute.substr(1)) : std::nullopt;
  if (absolute.size() > root.size() && absolute.compare(0, root.size(), root) == 0 && absolute[root.size()] == '/')
    return absolute.substr(root.size() + 1);
  return std::nullopt;
}

bool is_editor_noise(const std::string& relative) {
  size_t start = 0;
  while (start <= relative.size()) {
    size_t slash = relative.find('/', start);
    std::string_view part(relative.data() + start, (slash == std::string::npos ? relative.size() : slash) - start);
    if (part == ".git") return true;
    if (slash == std::string::npos) {
      auto ends_with = [&](std::string_view s) {
        return part.size() >= s.size() && part.compare(part.size() - s.size(), s.size(), s) == 0;
      };
      auto starts_with = [&](std::string_view s) { return part.compare(0, s.size(), s) == 0; };
      if (part == "4913") return true;  // vim's probe for a writable directory
      if (starts_with(".") && (ends_with(".swp") || ends_with(".swx") || ends_with(".swo"))) return true;
      if (ends_with("~")) return true;                                 // vim/emacs backups
      if (starts_with(".#") || (starts_with("#") && ends_with("#"))) return true;  // emacs
      if (ends_with("___jb_tmp___") || ends_with("___jb_old___")) return true;     // JetBrains
      if (starts_with(".~lock.")) return true;                                      // LibreOffice
      return false;
    }
    start = slash + 1;
  }
  return false;
}

bool WatchRule::takes(const std::string& relative) const {
  if (is_editor_noise(relative)) return false;
  if (path_in_context && !dockerignore.empty()) {
    std::string in_context = *path_in_context;
    if (!relative.empty()) in_context += (in_context.empty() ? "" : "/") + relative;
    if (!in_context.empty() && dockerignore.excluded(in_context)) return false;
  }
  if (relative.empty()) return true;
  if (!ignore.empty() && ignore.excluded(relative)) return false;
  if (!include.empty() && !include.excluded(relative)) return false;
  return true;
}

bool WatchRule::descends(const std::string& relative) const {
  if (relative.empty()) return true;
  if (is_editor_noise(relative)) return false;
  if (!ignore.empty() && ignore.excluded(relative) && !ignore.may_reinclude_below(relative)) return false;
  if (path_in_context && !dockerignore.empty()) {
    std::string in_context = *path_in_context + (path_in_context->empty() ? "" : "/") + relative;
    if (dockerignore.excluded(in_context) && !dockerignore.may_reinclude_below(in_context)) return false;
  }
  return true;
}

bool WatchRule::descends_into(const std::string& directory) const {
  auto relative = relative_below(path, directory);
  return relative && descends(*relative);
}

std::vector<WatchRule> watch_rules(const model::Project& project, const std::vector<std::string>& services) {
  std::vector<WatchRule> rules;
  for (const auto& service : project.services) {
    if (!services.empty() && std::find(services.begin(), services.end(), service.name) == services.end()) continue;
    const json& s = *service.json;
    auto develop = s.find("develop");
    if (develop == s.end() || !develop->is_object()) continue;
    auto watch = develop->find("watch");
    if (watch == develop->end() || !watch->is_array()) continue;

    // The build context's .dockerignore, as docker compose applies it.
    builder::IgnoreMatcher dockerignore;
    std::string context;
    if (auto build = s.find("build"); build != s.end() && build->is_object()) {
      context = strip_trailing_slashes(build->value("context", ""));
      if (!context.empty() && context[0] == '/')
        if (auto text = read_text(context + "/.dockerignore")) {
          try {
            dockerignore = builder::IgnoreMatcher(builder::parse_dockerignore(*text));
          } catch (Error& e) {
            e.add_context("service \"" + service.name + "\": " + context + "/.dockerignore");
            throw;
          }
        }
    }

    for (size_t i = 0; i < watch->size(); ++i) {
      const json& r = (*watch)[i];
      const std::string where = "service \"" + service.name + "\": develop.watch[" + std::to_string(i) + "]";
      if (!r.is_object()) throw Error(ErrorKind::Config, where + " must be a mapping");
      WatchRule rule;
      rule.service = service.name;
      rule.index = i;
      rule.action = parse_action(r.value("action", ""), where);
      rule.path = strip_trailing_slashes(r.value("path", ""));
      if (rule.path.empty() || rule.path[0] != '/') throw Error(ErrorKind::Config, where + ".path is required");
      rule.target = r.value("target", "");
      rule.initial_sync = r.value("initial_sync", false);
      if (syncs(rule.action) && rule.target.empty())
        throw Error(ErrorKind::Config, where + ": action " + to_string(rule.action) + " needs a target");
      if (!rule.target.empty() && rule.target[0] != '/')
        throw Error(ErrorKind::Config, where + ".target must be an absolute path in the container, not \"" +
                                           rule.target + "\"");
      if (rule.action == WatchAction::Rebuild && !service.has_build)
        throw Error(ErrorKind::Config, where + ": action rebuild needs a build section (service \"" + service.name +
                                           "\" has only an image)");
      if (rule.action == WatchAction::SyncExec) {
        auto exec = r.find("exec");
        if (exec == r.end() || !exec->is_object() || !exec->contains("command"))
          throw Error(ErrorKind::Config, where + ": action sync+exec needs exec.command");
        rule.exec = &*exec;
      }
      if (syncs(rule.action))
        for (const auto& v : service.volumes)
          if (v.type == "bind" && relative_below(strip_trailing_slashes(v.target), rule.target)) {
            rule.bind_mounted_from = v.source;
            break;
          }
      rule.ignore = builder::IgnoreMatcher(patterns_of(r, "ignore", where));
      rule.include = builder::IgnoreMatcher(patterns_of(r, "include", where));
      if (!context.empty()) {
        rule.dockerignore = dockerignore;
        rule.path_in_context = relative_below(context, rule.path);
      }
      rules.push_back(std::move(rule));
    }
  }
  if (rules.empty()) {
    std::string which = services.empty() ? "none of the project's services" : "none of the selected services";
    throw Error(ErrorKind::Usage, which + " has a develop.watch section: nothing to watch (see the compose "
                                          "specification's develop section)");
  }
  return rules;
}

void ChangeBatcher::add(const std::string& path, Clock::time_point now) {
  if (paths_.empty()) first_ = now;
  last_ = now;
  paths_.insert(path);
}

std::optional<std::chrono::milliseconds> ChangeBatcher::due_in(Clock::time_point now) const {
  if (paths_.empty()) return std::nullopt;
  auto until = std::min(last_ + quiet_, first_ + max_delay_);
  if (until <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(until - now);
}

std::set<std::string> ChangeBatcher::take() {
  std::set<std::string> out;
  out.swap(paths_);
  return out;
}

std::map<std::string, ServiceChanges> changes_by_service(const std::vector<WatchRule>& rules,
                                                         const std::set<std::string>& paths) {
  std::map<std::string, ServiceChanges> out;
  for (const auto& path : paths) {
    for (const auto& rule : rules) {
      auto relative = relative_below(rule.path, path);
      if (!relative || !rule.takes(*relative)) continue;
      ServiceChanges& changes = out[rule.service];
      switch (rule.action) {
        case WatchAction::Rebuild:
          changes.rebuild = true;
          changes.rebuild_paths.insert(relative->empty() ? path.substr(path.rfind('/') + 1) : *relative);
          break;
        case WatchAction::Restart: changes.restart_rules.insert(&rule); break;
        case WatchAction::Sync:
        case WatchAction::SyncRestart:
        case WatchAction::SyncExec:
          changes.synced[&rule].insert(*relative);
          if (rule.action == WatchAction::SyncRestart) changes.restart_rules.insert(&rule);
          if (rule.action == WatchAction::SyncExec &&
              std::find(changes.exec_rules.begin(), changes.exec_rules.end(), &rule) == changes.exec_rules.end())
            changes.exec_rules.push_back(&rule);
          break;
      }
    }
  }
  // exec_rules in rule order.
  for (auto& [_, changes] : out)
    std::sort(changes.exec_rules.begin(), changes.exec_rules.end(),
              [](const WatchRule* a, const WatchRule* b) { return a < b; });
  return out;
}

}  // namespace berth::service
