// berth stack deploy / ls / ps / services / rm.
#include "berth/service/stack.h"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "berth/engine/engine.h"
#include "berth/engine/registry_auth.h"
#include "berth/engine/swarm.h"
#include "berth/exec/engine_image_facts.h"
#include "berth/model/project.h"
#include "berth/policy/security_policy.h"
#include "berth/service/global_options.h"
#include "berth/stack/service_spec.h"
#include "berth/ui/go_template.h"
#include "berth/ui/progress.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "berth/util/image_reference.h"
#include "berth/util/rfc3339.h"
#include "project_loading.h"
#include "security.h"
#include "session.h"

namespace berth::service {

using nlohmann::json;
using ui::ProgressState;
namespace S = stack;

namespace {

engine::SwarmApi& swarm_of(engine::Engine& engine) {
  engine::SwarmApi* swarm = engine.swarm();
  if (!swarm) throw Error(ErrorKind::Usage, "this engine has no swarm mode (berth stack needs Docker's)");
  return *swarm;
}

// A manager of an active swarm, or a clear error before anything is made.
void check_manager(engine::Engine& engine) {
  json info = engine.info();
  const json swarm = info.value("Swarm", json::object());
  const std::string state = swarm.value("LocalNodeState", "");
  if (state != "active")
    throw Error(ErrorKind::Usage, "this engine is not part of a swarm (its state is \"" + (state.empty() ? "unknown" : state) +
                                      "\"): run `docker swarm init` or join one first");
  if (!swarm.value("ControlAvailable", false))
    throw Error(ErrorKind::Usage, "this node is not a swarm manager: stacks are deployed from a manager node");
}

void check_stack_name(const std::string& name) {
  bool ok = !name.empty() && std::isalnum(static_cast<unsigned char>(name[0]));
  for (char c : name) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
  if (!ok)
    throw Error(ErrorKind::Usage, "invalid stack name \"" + name +
                                      "\": letters, digits, '_', '-' and '.', starting with a letter or digit");
}

engine::Filters namespace_filter(const std::string& stack) {
  return {{"label", {std::string(S::kNamespaceLabel) + "=" + stack}}};
}

std::string label_of(const json& object, const char* label) {
  const json labels = object.value("Spec", json::object()).value("Labels", json::object());
  auto it = labels.find(label);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string name_of(const json& object) { return object.value("Spec", json::object()).value("Name", ""); }

// The image a service runs: pinned to the digest the engine knows for it
// (a pulled or pushed image has one), else as written.
std::string resolved_image(engine::Engine& engine, const std::string& image, const std::string& mode) {
  if (mode == "never" || image.find('@') != std::string::npos) return image;
  try {
    json inspect = engine.inspect_image(image);
    const auto ref = parse_image_reference(image);
    for (const auto& digest : inspect.value("RepoDigests", json::array())) {
      const std::string d = digest.get<std::string>();
      const auto at = d.find('@');
      if (at == std::string::npos) continue;
      if (parse_image_reference(d.substr(0, at)).name == ref.name) return image + d.substr(at);
    }
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::NotFound) throw;
  }
  return image;
}

// Services' tasks as they converge after a deploy: every changed service
// running its replicas (healthy where it has a check: a task is "starting"
// until then), a job's tasks complete. A failed or rejected task since the
// deploy ends the wait with its error once the swarm's retry failed too (a
// second task) or did not bring the service up within kRetryGrace: a single
// rejection can be transient (a port or an address still held by the task
// before it, a network still being attached), and the swarm replaces it.
class ConvergenceWait {
 public:
  ConvergenceWait(engine::SwarmApi& swarm, ui::ProgressSink& progress) : swarm_(swarm), progress_(progress) {}

  void add(const std::string& id, const std::string& name) { pending_[id] = name; }

  void run(const std::function<bool()>& interrupted) {
    for (const auto& [_, name] : pending_) progress_.report("Service " + name, "Waiting", ProgressState::Working);
    while (!pending_.empty()) {
      if (interrupted && interrupted())
        throw Error(ErrorKind::Interrupted, "interrupted while waiting; the swarm goes on converging");
      for (auto it = pending_.begin(); it != pending_.end();) {
        if (converged(it->first, it->second)) it = pending_.erase(it);
        else ++it;
      }
      if (!pending_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  }

 private:
  bool converged(const std::string& id, const std::string& name) {
    json service = swarm_.inspect_service(id);
    const json spec = service.value("Spec", json::object());
    const json mode = spec.value("Mode", json::object());
    // A new service's first tasks are made before its UpdatedAt is written:
    // only an update's tasks all come after it.
    const char* since_key = service.contains("PreviousSpec") ? "UpdatedAt" : "CreatedAt";
    const std::int64_t since = parse_rfc3339(service.value(since_key, "")).value_or(0);
    const std::string resource = "Service " + name;
    if (auto status = service.find("UpdateStatus"); status != service.end() && status->is_object()) {
      const std::string state = status->value("State", "");
      if (state == "paused" || state.rfind("rollback", 0) == 0)
        throw Error(ErrorKind::Engine, "service " + name + ": the update is " + state + ": " +
                                           status->value("Message", ""));
    }
    json tasks = swarm_.list_tasks({{"service", {id}}});
    std::int64_t running = 0, complete = 0, wanted_running = 0;
    for (const auto& t : tasks) {
      const json status = t.value("Status", json::object());
      const std::string state = status.value("State", "");
      const std::string desired = t.value("DesiredState", "");
      if ((state == "failed" || state == "rejected") &&
          parse_rfc3339(t.value("CreatedAt", "")).value_or(0) >= since) {
        std::string why = status.value("Err", "");
        if (why.empty()) why = status.value("Message", state);
        Failure failure{t.value("ID", ""), state, why, std::chrono::steady_clock::now()};
        auto [first_failure, first] = first_failure_.try_emplace(id, failure);
        if (first) progress_.report(resource, "Retrying", ProgressState::Working, why);
        else if (first_failure->second.task != failure.task) fail(resource, name, failure);
      }
      if (desired == "running") ++wanted_running;
      if (desired == "running" && state == "running") ++running;
      if (state == "complete") ++complete;
    }
    if (auto updating = service.find("UpdateStatus");
        updating != service.end() && updating->is_object() && updating->value("State", "") == "updating")
      return false;
    bool done = false;
    std::string detail;
    if (mode.contains("Replicated")) {
      const std::int64_t replicas = mode["Replicated"].value("Replicas", std::int64_t{1});
      done = running == replicas && wanted_running == replicas;
      detail = std::to_string(running) + "/" + std::to_string(replicas);
    } else if (mode.contains("ReplicatedJob")) {
      const std::int64_t total = mode["ReplicatedJob"].value("TotalCompletions", std::int64_t{1});
      done = complete >= total;
      detail = std::to_string(complete) + "/" + std::to_string(total) + " completed";
    } else if (mode.contains("GlobalJob")) {
      done = !tasks.empty() && complete == static_cast<std::int64_t>(tasks.size());
      detail = std::to_string(complete) + " completed";
    } else {
      done = wanted_running > 0 && running == wanted_running;
      detail = std::to_string(running) + "/" + std::to_string(wanted_running);
    }
    if (auto failure = first_failure_.find(id);
        !done && failure != first_failure_.end() &&
        std::chrono::steady_clock::now() - failure->second.seen >= kRetryGrace)
      fail(resource, name, failure->second);
    const bool job = mode.contains("ReplicatedJob") || mode.contains("GlobalJob");
    if (!done || job) {
      stable_since_.erase(id);
      if (done) progress_.report(resource, "Completed", ProgressState::Done, detail);
      return done;
    }
    // As docker's CLI: running tasks count once they stayed up for a while,
    // so a task that starts and crashes is seen failing, not "running".
    const auto now = std::chrono::steady_clock::now();
    auto [since_it, first] = stable_since_.emplace(id, now);
    if (first) progress_.report(resource, "Verifying", ProgressState::Working, detail + ", checking they stay up");
    if (now - since_it->second < kStable) return false;
    progress_.report(resource, "Running", ProgressState::Done, detail);
    stable_since_.erase(since_it);
    return true;
  }

  struct Failure {
    std::string task;
    std::string state;  // failed, rejected
    std::string why;
    std::chrono::steady_clock::time_point seen;
  };

  [[noreturn]] void fail(const std::string& resource, const std::string& name, const Failure& failure) {
    progress_.report(resource, "Error", ProgressState::Error, failure.why);
    throw Error(ErrorKind::Engine, "service " + name + ": a task " + failure.state + ": " + failure.why);
  }
  static constexpr std::chrono::seconds kStable{5};
  static constexpr std::chrono::seconds kRetryGrace{30};
  std::map<std::string, std::chrono::steady_clock::time_point> stable_since_;
  std::map<std::string, Failure> first_failure_;  // service id -> its first failed task since the deploy

  engine::SwarmApi& swarm_;
  ui::ProgressSink& progress_;
  std::map<std::string, std::string> pending_;  // id -> name
};

std::set<std::string> referenced(const json& spec, const char* list, const char* name_key) {
  std::set<std::string> out;
  const json container = spec.value("TaskTemplate", json::object()).value("ContainerSpec", json::object());
  for (const auto& r : container.value(list, json::array())) out.insert(r.value(name_key, ""));
  return out;
}

}  // namespace

int stack_deploy(const GlobalOptions& global, const StackDeployOptions& options) {
  check_stack_name(options.stack);
  GlobalOptions g = global;
  if (!options.compose_files.empty()) g.project.files = options.compose_files;
  auto project = load_project(g, options.services, ProjectFiles::Required);
  Session session(g);
  auto& engine = session.engine();
  auto& progress = session.progress();
  auto& swarm = swarm_of(engine);
  const std::string& stack = options.stack;

  session.run([&] {
    check_manager(engine);
    std::vector<const model::Service*> selected;
    for (const auto& s : project.services)
      if (options.services.empty() ||
          std::find(options.services.begin(), options.services.end(), s.name) != options.services.end())
        selected.push_back(&s);

    // The policy, as for containers; what a swarm cannot enforce is named below.
    exec::EngineImageFacts facts(engine);
    policy::SecurityPolicy policy(policy_options(g, project), facts);
    policy.check_before_images(project);
    policy.apply(project);

    // Everything that can fail is read and checked before anything is made.
    auto secrets = S::file_objects(project, stack, "secrets");
    auto configs = S::file_objects(project, stack, "configs");
    auto networks = S::network_objects(project, stack, options.services);
    std::vector<std::pair<const model::Service*, S::ServiceSpec>> specs;
    for (const auto* s : selected) {
      const std::string image = s->image ? resolved_image(engine, *s->image, options.resolve_image) : "";
      specs.emplace_back(s, S::service_spec(project, *s, stack, image, secrets, configs, networks));
      if (!specs.back().second.ignored.empty()) {
        std::string keys;
        for (const auto& k : specs.back().second.ignored) keys += (keys.empty() ? "" : ", ") + k;
        progress.message("WARN service \"" + s->name + "\": a swarm service cannot have " + keys + ": ignored");
      }
    }
    std::set<std::string> used_secrets, used_configs;
    for (const auto& [_, spec] : specs) {
      auto s = referenced(*spec.spec, "Secrets", "SecretName");
      auto c = referenced(*spec.spec, "Configs", "ConfigName");
      used_secrets.insert(s.begin(), s.end());
      used_configs.insert(c.begin(), c.end());
    }
    std::map<std::string, std::string> existing_networks;  // name -> id
    for (const auto& n : engine.list_networks()) existing_networks[n.name] = n.id;
    for (const auto& n : networks)
      if (n.external && !existing_networks.count(n.name))
        throw Error(ErrorKind::Config, "network " + n.key + " is external, but the swarm has no network " + n.name);

    // Secrets and configs: a content never seen is a new object.
    std::map<std::string, std::string> object_ids;  // name -> id
    auto ensure_objects = [&](std::vector<S::FileObject>& objects, const std::set<std::string>& used, bool secret) {
      json listed = secret ? swarm.list_secrets() : swarm.list_configs();
      std::map<std::string, std::string> by_name;
      for (const auto& o : listed) by_name[name_of(o)] = o.value("ID", "");
      for (const auto& o : objects) {
        if (!used.count(o.name)) continue;
        const std::string resource = std::string(secret ? "Secret " : "Config ") + o.name;
        if (auto it = by_name.find(o.name); it != by_name.end()) {
          object_ids[o.name] = it->second;
          continue;
        }
        if (o.external)
          throw Error(ErrorKind::Config, std::string(secret ? "secret " : "config ") + o.key +
                                             " is external, but the swarm has none named " + o.name);
        if (g.dry_run) {
          progress.message("would create " + resource);
          continue;
        }
        progress.report(resource, "Creating", ProgressState::Working);
        json spec = S::file_object_spec(o, stack);
        object_ids[o.name] = secret ? swarm.create_secret(spec) : swarm.create_config(spec);
        progress.report(resource, "Created", ProgressState::Done);
      }
    };
    ensure_objects(secrets, used_secrets, true);
    ensure_objects(configs, used_configs, false);

    for (const auto& n : networks) {
      if (n.external || existing_networks.count(n.name)) continue;
      const std::string resource = "Network " + n.name;
      if (g.dry_run) {
        progress.message("would create " + resource);
        continue;
      }
      progress.report(resource, "Creating", ProgressState::Working);
      engine.create_network(n.name, *n.create_body);
      progress.report(resource, "Created", ProgressState::Done);
    }

    // Services: created, updated when their spec changed, else left alone.
    std::map<std::string, json> observed;  // name -> service
    for (const auto& s : swarm.list_services(namespace_filter(stack))) observed[name_of(s)] = s;
    // --with-registry-auth: the image's registry credentials from the docker
    // config travel with the spec, so nodes can pull a private image.
    std::optional<engine::DockerConfig> docker_config;
    if (options.with_registry_auth) docker_config = engine::DockerConfig::load();
    ConvergenceWait wait(swarm, progress);
    std::set<std::string> desired_names;
    for (auto& [service, spec] : specs) {
      json body = *spec.spec;
      for (const char* list : {"Secrets", "Configs"}) {
        json& refs = body["TaskTemplate"]["ContainerSpec"][list];
        if (!refs.is_array()) continue;
        for (auto& r : refs) {
          const char* id_key = std::string(list) == "Secrets" ? "SecretID" : "ConfigID";
          const char* name_key = std::string(list) == "Secrets" ? "SecretName" : "ConfigName";
          r[id_key] = object_ids[r.value(name_key, "")];
        }
      }
      const std::string name = body.value("Name", "");
      desired_names.insert(name);
      std::string registry_auth;
      if (docker_config) {
        auto auth = docker_config->auth_for(body["TaskTemplate"]["ContainerSpec"].value("Image", ""));
        registry_auth = auth.header;
        if (registry_auth.empty() && !auth.credential_helper.empty())
          progress.message("WARN service \"" + service->name + "\": the credentials for its registry are kept by " +
                           auth.credential_helper + ", which berth does not run: none are sent");
      }
      const std::string resource = "Service " + name;
      auto it = observed.find(name);
      if (it != observed.end() && label_of(it->second, S::kSpecHashLabel) == spec.hash) {
        progress.report(resource, "Unchanged", ProgressState::Done);
        continue;
      }
      if (g.dry_run) {
        progress.message(std::string("would ") + (it == observed.end() ? "create " : "update ") + resource);
        continue;
      }
      if (it == observed.end()) {
        progress.report(resource, "Creating", ProgressState::Working);
        const std::string id = swarm.create_service(body, registry_auth);
        progress.report(resource, "Created", ProgressState::Done);
        wait.add(id, name);
      } else {
        progress.report(resource, "Updating", ProgressState::Working);
        const std::string id = it->second.value("ID", "");
        const auto version = it->second.value("Version", json::object()).value("Index", std::uint64_t{0});
        swarm.update_service(id, version, body, registry_auth);
        progress.report(resource, "Updated", ProgressState::Done);
        wait.add(id, name);
      }
    }

    if (options.prune && options.services.empty())
      for (const auto& [name, service] : observed) {
        if (desired_names.count(name)) continue;
        const std::string resource = "Service " + name;
        if (g.dry_run) {
          progress.message("would remove " + resource);
          continue;
        }
        progress.report(resource, "Removing", ProgressState::Working, "not in the files (--prune)");
        swarm.remove_service(service.value("ID", ""));
        progress.report(resource, "Removed", ProgressState::Done);
      }

    // Versions of secrets and configs that no service of the stack uses any
    // more (a changed content rolled the services onto a new one).
    if (!g.dry_run) {
      std::set<std::string> still_used;
      for (const auto& s : swarm.list_services(namespace_filter(stack))) {
        for (const auto& n : referenced(s.value("Spec", json::object()), "Secrets", "SecretName")) still_used.insert(n);
        for (const auto& n : referenced(s.value("Spec", json::object()), "Configs", "ConfigName")) still_used.insert(n);
      }
      for (bool secret : {true, false}) {
        json listed = secret ? swarm.list_secrets(namespace_filter(stack)) : swarm.list_configs(namespace_filter(stack));
        for (const auto& o : listed) {
          if (still_used.count(name_of(o))) continue;
          try {
            secret ? swarm.remove_secret(o.value("ID", "")) : swarm.remove_config(o.value("ID", ""));
            progress.report(std::string(secret ? "Secret " : "Config ") + name_of(o), "Removed", ProgressState::Done,
                            "no longer used");
          } catch (const Error&) {
            // still in use by a task on its way out: the next deploy removes it
          }
        }
      }
    }
    if (!options.detach && !g.dry_run) wait.run(session.context().interrupted);
  });
  return 0;
}

namespace {

std::vector<std::string> split_filter(const std::string& filter) {
  auto eq = filter.find('=');
  if (eq == std::string::npos) throw Error(ErrorKind::Usage, "bad filter \"" + filter + "\": KEY=VALUE expected");
  return {filter.substr(0, eq), filter.substr(eq + 1)};
}

// `header`: field -> column title, in column order; each object has the
// same fields.
void print_rows(const std::string& format, const nlohmann::ordered_json& header,
                const std::vector<nlohmann::ordered_json>& objects, bool quiet, const std::vector<std::string>& ids) {
  if (quiet) {
    for (const auto& id : ids) std::cout << id << "\n";
    return;
  }
  if (format.empty() || format == "table") {
    ui::TableRow titles;
    for (const auto& [_, title] : header.items()) titles.push_back(title.get<std::string>());
    std::vector<ui::TableRow> rows;
    for (const auto& o : objects) {
      ui::TableRow row;
      for (const auto& [field, _] : header.items()) row.push_back(o.value(field, ""));
      rows.push_back(std::move(row));
    }
    std::cout << ui::format_table(titles, rows);
    return;
  }
  if (format == "json") {
    for (const auto& o : objects) std::cout << o.dump() << "\n";
    return;
  }
  std::vector<std::string> fields;
  for (const auto& [field, _] : header.items()) fields.push_back(field);
  ui::GoTemplate tmpl(format, fields);
  std::cout << ui::render_rows(tmpl, header, objects);
}

std::string ports_text(const json& endpoint) {
  std::string out;
  for (const auto& p : endpoint.value("Ports", json::array())) {
    if (!out.empty()) out += ", ";
    out += "*:" + std::to_string(p.value("PublishedPort", 0)) + "->" + std::to_string(p.value("TargetPort", 0)) + "/" +
           p.value("Protocol", "tcp");
  }
  return out;
}

std::string ago(const std::string& timestamp) {
  auto ns = parse_rfc3339(timestamp);
  if (!ns) return "";
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const std::int64_t s = std::max<std::int64_t>(0, (now - *ns) / 1000000000);
  if (s < 60) return std::to_string(s) + " seconds ago";
  if (s < 3600) return std::to_string(s / 60) + " minutes ago";
  if (s < 86400) return std::to_string(s / 3600) + " hours ago";
  return std::to_string(s / 86400) + " days ago";
}

std::string capitalized(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace

void stack_ls(const GlobalOptions& global, const StackListOptions& options) {
  (void)global;
  auto engine = connect_engine();
  auto& swarm = swarm_of(*engine);
  check_manager(*engine);
  std::map<std::string, int> counts;
  for (const auto& s : swarm.list_services({{"label", {S::kNamespaceLabel}}})) ++counts[label_of(s, S::kNamespaceLabel)];
  std::vector<nlohmann::ordered_json> objects;
  for (const auto& [name, n] : counts) {
    nlohmann::ordered_json o;
    o["Name"] = name;
    o["Services"] = std::to_string(n);
    objects.push_back(std::move(o));
  }
  nlohmann::ordered_json header;
  header["Name"] = "NAME";
  header["Services"] = "SERVICES";
  print_rows(options.format, header, objects, false, {});
}

void stack_services(const GlobalOptions& global, const StackServicesOptions& options) {
  (void)global;
  auto engine = connect_engine();
  auto& swarm = swarm_of(*engine);
  check_manager(*engine);
  engine::Filters filters = namespace_filter(options.stack);
  for (const auto& f : options.filters) {
    auto kv = split_filter(f);
    filters[kv[0]].push_back(kv[1]);
  }
  json services = swarm.list_services(filters);
  if (services.empty()) {
    std::cerr << "Nothing found in stack: " << options.stack << "\n";
    return;
  }
  std::vector<json> list(services.begin(), services.end());
  std::sort(list.begin(), list.end(), [](const json& a, const json& b) { return name_of(a) < name_of(b); });
  json tasks = swarm.list_tasks({{"label", {std::string(S::kNamespaceLabel) + "=" + options.stack}}});
  std::vector<nlohmann::ordered_json> objects;
  std::vector<std::string> ids;
  for (const auto& s : list) {
    const std::string id = s.value("ID", "");
    const json spec = s.value("Spec", json::object());
    const json mode = spec.value("Mode", json::object());
    int running = 0, wanted = 0;
    for (const auto& t : tasks) {
      if (t.value("ServiceID", "") != id) continue;
      if (t.value("DesiredState", "") == "running") ++wanted;
      if (t.value("Status", json::object()).value("State", "") == "running") ++running;
    }
    std::string mode_name = mode.contains("Global") ? "global" : mode.contains("ReplicatedJob") ? "replicated job"
                          : mode.contains("GlobalJob") ? "global job" : "replicated";
    std::string replicas = mode.contains("Replicated")
                               ? std::to_string(running) + "/" + std::to_string(mode["Replicated"].value("Replicas", 0))
                               : std::to_string(running) + "/" + std::to_string(wanted);
    std::string image = spec.value("TaskTemplate", json::object()).value("ContainerSpec", json::object()).value("Image", "");
    if (auto at = image.find('@'); at != std::string::npos) image.erase(at);
    const std::string ports = ports_text(s.value("Endpoint", json::object()).value("Spec", json::object()));
    nlohmann::ordered_json o;
    o["ID"] = id.substr(0, 12);
    o["Name"] = name_of(s);
    o["Mode"] = mode_name;
    o["Replicas"] = replicas;
    o["Image"] = image;
    o["Ports"] = ports;
    objects.push_back(std::move(o));
    ids.push_back(id);
  }
  nlohmann::ordered_json header;
  for (const auto& [field, title] : std::vector<std::pair<const char*, const char*>>{
           {"ID", "ID"}, {"Name", "NAME"}, {"Mode", "MODE"}, {"Replicas", "REPLICAS"}, {"Image", "IMAGE"}, {"Ports", "PORTS"}})
    header[field] = title;
  print_rows(options.format, header, objects, options.quiet, ids);
}

void stack_ps(const GlobalOptions& global, const StackPsOptions& options) {
  (void)global;
  auto engine = connect_engine();
  auto& swarm = swarm_of(*engine);
  check_manager(*engine);
  engine::Filters filters = {{"label", {std::string(S::kNamespaceLabel) + "=" + options.stack}}};
  for (const auto& f : options.filters) {
    auto kv = split_filter(f);
    filters[kv[0]].push_back(kv[1]);
  }
  json tasks = swarm.list_tasks(filters);
  if (tasks.empty()) {
    std::cerr << "nothing found in stack: " << options.stack << "\n";
    return;
  }
  std::map<std::string, std::string> service_names;
  for (const auto& s : swarm.list_services(namespace_filter(options.stack))) service_names[s.value("ID", "")] = name_of(s);
  std::map<std::string, std::string> node_names;
  for (const auto& n : swarm.list_nodes())
    node_names[n.value("ID", "")] = n.value("Description", json::object()).value("Hostname", "");
  std::vector<json> list(tasks.begin(), tasks.end());
  std::sort(list.begin(), list.end(), [&](const json& a, const json& b) {
    auto ka = std::make_tuple(service_names[a.value("ServiceID", "")], a.value("Slot", 0), b.value("CreatedAt", ""));
    auto kb = std::make_tuple(service_names[b.value("ServiceID", "")], b.value("Slot", 0), a.value("CreatedAt", ""));
    return ka < kb;
  });
  std::vector<nlohmann::ordered_json> objects;
  std::vector<std::string> ids;
  std::set<std::string> seen_slots;
  for (const auto& t : list) {
    const std::string id = t.value("ID", "");
    const std::string service = service_names[t.value("ServiceID", "")];
    const int slot = t.value("Slot", 0);
    std::string slot_name = service + "." + (slot > 0 ? std::to_string(slot) : t.value("NodeID", ""));
    // docker stack ps prefixes the older tasks of a slot with " \_ ".
    std::string name = seen_slots.insert(slot_name).second ? slot_name : " \\_ " + slot_name;
    std::string image = t.value("Spec", json::object()).value("ContainerSpec", json::object()).value("Image", "");
    if (!options.no_trunc)
      if (auto at = image.find('@'); at != std::string::npos) image.erase(at);
    const json status = t.value("Status", json::object());
    const std::string current = capitalized(status.value("State", "")) + " " + ago(status.value("Timestamp", ""));
    std::string error = status.value("Err", "");
    if (!options.no_trunc && error.size() > 30) error = error.substr(0, 29) + "…";
    const std::string shown_id = options.no_trunc ? id : id.substr(0, 12);
    const std::string node = node_names[t.value("NodeID", "")];
    nlohmann::ordered_json o;
    o["ID"] = shown_id;
    o["Name"] = name;
    o["Image"] = image;
    o["Node"] = node;
    o["DesiredState"] = capitalized(t.value("DesiredState", ""));
    o["CurrentState"] = current;
    o["Error"] = error;
    o["Ports"] = "";
    objects.push_back(std::move(o));
    ids.push_back(id);
  }
  nlohmann::ordered_json header;
  for (const auto& [field, title] : std::vector<std::pair<const char*, const char*>>{
           {"ID", "ID"}, {"Name", "NAME"}, {"Image", "IMAGE"}, {"Node", "NODE"}, {"DesiredState", "DESIRED STATE"},
           {"CurrentState", "CURRENT STATE"}, {"Error", "ERROR"}, {"Ports", "PORTS"}})
    header[field] = title;
  print_rows(options.format, header, objects, options.quiet, ids);
}

void stack_rm(const GlobalOptions& global, const std::vector<std::string>& stacks, bool detach) {
  Session session(global);
  auto& engine = session.engine();
  auto& swarm = swarm_of(engine);
  auto& progress = session.progress();
  session.run([&] {
    check_manager(engine);
    for (const auto& stack : stacks) {
      json services = swarm.list_services(namespace_filter(stack));
      json secrets = swarm.list_secrets(namespace_filter(stack));
      json configs = swarm.list_configs(namespace_filter(stack));
      auto networks = engine.list_networks(namespace_filter(stack));
      if (services.empty() && secrets.empty() && configs.empty() && networks.empty()) {
        progress.message("Nothing found in stack: " + stack);
        continue;
      }
      if (global.dry_run) {
        for (const auto& s : services) progress.message("would remove Service " + name_of(s));
        for (const auto& s : secrets) progress.message("would remove Secret " + name_of(s));
        for (const auto& c : configs) progress.message("would remove Config " + name_of(c));
        for (const auto& n : networks) progress.message("would remove Network " + n.name);
        continue;
      }
      std::vector<std::string> service_ids;
      for (const auto& s : services) {
        progress.report("Service " + name_of(s), "Removing", ProgressState::Working);
        swarm.remove_service(s.value("ID", ""));
        service_ids.push_back(s.value("ID", ""));
        progress.report("Service " + name_of(s), "Removed", ProgressState::Done);
      }
      for (const auto& s : secrets) {
        swarm.remove_secret(s.value("ID", ""));
        progress.report("Secret " + name_of(s), "Removed", ProgressState::Done);
      }
      for (const auto& c : configs) {
        swarm.remove_config(c.value("ID", ""));
        progress.report("Config " + name_of(c), "Removed", ProgressState::Done);
      }
      // A network is removable once the removed services' tasks are gone.
      for (const auto& n : networks) {
        for (int attempt = 0;; ++attempt) {
          try {
            engine.remove_network(n.id);
            progress.report("Network " + n.name, "Removed", ProgressState::Done);
            break;
          } catch (const Error& e) {
            if (detach || attempt >= 100 || e.kind() == ErrorKind::NotFound) {
              if (e.kind() != ErrorKind::NotFound)
                progress.report("Network " + n.name, "Error", ProgressState::Warning, e.message());
              break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
          }
        }
      }
      if (!detach)  // as docker stack rm without --detach: until the tasks are gone
        for (int attempt = 0; attempt < 300; ++attempt) {
          if (swarm.list_tasks({{"label", {std::string(S::kNamespaceLabel) + "=" + stack}}}).empty()) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    }
  });
}

}  // namespace berth::service
