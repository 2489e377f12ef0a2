#include "berth/builder/classic_build.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <nlohmann/json.hpp>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/model/units.h"
#include "berth/util/error.h"
#include "berth/util/strings.h"

namespace berth::builder {
namespace {

using nlohmann::json;

std::string service_error(const model::Service& service, const std::string& message) {
  return "service \"" + service.name + "\": " + message;
}

std::string scalar_text(const json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

bool truthy(const json& value) {
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) return value.get<std::string>() != "false" && !value.get<std::string>().empty();
  return !value.is_null();
}

// What docker's urlutil takes for a git or HTTP context (the loader keeps
// those as written and makes local paths absolute).
bool is_remote_context(const std::string& context) {
  if (context.find("://") != std::string::npos) return true;
  for (const char* prefix : {"git@", "github.com/"})
    if (context.starts_with(prefix)) return true;
  return false;
}

// Refuses what the chosen builder cannot do through the Engine API, naming
// the option and why.
void check_supported(const model::Service& service, const json& build, Builder builder) {
  auto refuse = [&](const std::string& key, const std::string& why) {
    throw Error(ErrorKind::Config, service_error(service, "build." + key + " " + why));
  };
  auto present = [&](const char* key) {
    auto it = build.find(key);
    return it != build.end() && !it->is_null() && !(it->is_array() || it->is_object() ? it->empty() : false);
  };
  auto set = [&](const char* key) {
    auto it = build.find(key);
    return it != build.end() && truthy(*it);
  };
  if (builder == Builder::Classic) {
    const std::string why =
        "needs BuildKit: this build uses the engine's classic builder (DOCKER_BUILDKIT=0, x-berth.builder: classic, "
        "or an engine without BuildKit), which cannot do it";
    for (const char* key : {"secrets", "ssh", "cache_to", "additional_contexts", "entitlements", "no_cache_filter"})
      if (present(key)) refuse(key, why);
    for (const char* key : {"privileged", "sbom", "provenance"})
      if (set(key)) refuse(key, why);
  } else {
    // What BuildKit can do but the engine's /build API cannot pass on.
    const std::string api = "is not supported: the engine's build API (POST /build?version=2) cannot pass it on";
    if (present("additional_contexts")) refuse("additional_contexts", api + " (named contexts need buildx)");
    if (present("entitlements")) refuse("entitlements", api);
    if (set("privileged")) refuse("privileged", api);
    if (present("no_cache_filter")) refuse("no_cache_filter", api + " (use no_cache for the whole build)");
    for (const char* key : {"sbom", "provenance"})
      if (set(key)) refuse(key, api + " (attestations need buildx)");
    if (auto it = build.find("cache_to"); it != build.end() && it->is_array())
      for (const auto& to : *it)
        if (!to.is_string() || (to.get<std::string>() != "type=inline" && to.get<std::string>() != "inline"))
          refuse("cache_to", "\"" + scalar_text(to) + "\" " + api + " (only type=inline)");
    if (auto it = build.find("network"); it != build.end() && it->is_string()) {
      const std::string network = it->get<std::string>();
      if (!network.empty() && network != "default" && network != "host" && network != "none")
        refuse("network", "\"" + network + "\" is not supported by BuildKit: only default, host and none");
    }
  }
  if (auto it = build.find("isolation"); it != build.end() && it->is_string() && *it != "default")
    refuse("isolation", "\"" + it->get<std::string>() + "\" is not supported: Linux engines only know \"default\"");
}

bool is_false_word(std::string value) {
  for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return value == "0" || value == "false" || value == "no" || value == "off";
}

std::string absolute_in(const std::string& path, const std::string& base) {
  if (path.empty() || path.front() == '/') return path;
  return base + "/" + path;
}

// "default", "id", "id=path", "id=path1,path2" (compose's build.ssh and --ssh).
BuildSsh parse_ssh(const std::string& text, const std::string& base) {
  BuildSsh ssh;
  auto eq = text.find('=');
  ssh.id = text.substr(0, eq);
  if (eq != std::string::npos)
    for (auto& path : split(text.substr(eq + 1), ","))
      if (!path.empty()) ssh.paths.push_back(absolute_in(path, base));
  return ssh;
}

// What only BuildKit builds have: the session's secrets and SSH ids, and
// an inline cache export. A secret that cannot be read is an error now,
// naming it, not a build that fails half way.
void buildkit_parts(const model::Project& project, const model::Service& service, const json& build,
                    const BuildOverrides& options, BuildJob& job) {
  job.request.buildkit = true;
  job.request.remove_intermediate = false;  // BuildKit leaves no intermediate containers
  job.request.force_remove_intermediate = false;
  if (auto it = build.find("cache_to"); it != build.end() && it->is_array() && !it->empty())
    job.request.build_args["BUILDKIT_INLINE_CACHE"] = "1";
  if (auto it = build.find("secrets"); it != build.end() && it->is_array())
    for (const auto& reference : *it) {
      const std::string source = reference.is_object() ? reference.value("source", "") : scalar_text(reference);
      const model::Resource* secret = nullptr;
      for (const auto& s : project.secrets)
        if (s.key == source) secret = &s;
      if (!secret)
        throw Error(ErrorKind::Config, service_error(service, "build.secrets names \"" + source +
                                                                  "\", which the top-level secrets do not define"));
      BuildSecret out;
      out.id = reference.is_object() && reference.contains("target") ? scalar_text(reference["target"]) : source;
      // The id is what `RUN --mount=type=secret,id=...` names: a target given as
      // a path (the service-secret habit) counts by its last part.
      if (auto slash = out.id.rfind('/'); slash != std::string::npos) out.id = out.id.substr(slash + 1);
      const json& definition = *secret->json;
      if (definition.contains("file") && definition["file"].is_string()) {
        out.file = definition["file"].get<std::string>();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(out.file, ec))
          throw Error(ErrorKind::Config, service_error(service, "build secret \"" + source + "\": file " + out.file +
                                                                    " does not exist"));
      } else if (definition.contains("environment") && definition["environment"].is_string()) {
        out.environment = definition["environment"].get<std::string>();
        // The project's environment: berth's own over the .env files.
        auto value = project.environment.find(out.environment);
        if (value == project.environment.end())
          throw Error(ErrorKind::Config, service_error(service, "build secret \"" + source + "\": environment variable " +
                                                                    out.environment + " is not set"));
        out.value = value->second;
      } else {
        throw Error(ErrorKind::Config, service_error(service, "build secret \"" + source +
                                                                  "\" must come from a file or an environment variable"));
      }
      job.secrets.push_back(std::move(out));
    }
  auto add_ssh = [&](BuildSsh ssh) {
    for (auto& existing : job.ssh)
      if (existing.id == ssh.id) {
        existing = std::move(ssh);
        return;
      }
    job.ssh.push_back(std::move(ssh));
  };
  if (auto it = build.find("ssh"); it != build.end()) {
    if (it->is_array()) {
      for (const auto& entry : *it) add_ssh(parse_ssh(scalar_text(entry), project.working_dir));
    } else if (it->is_object()) {
      for (const auto& [id, path] : it->items())
        add_ssh(parse_ssh(path.is_null() || scalar_text(path).empty() ? id : id + "=" + scalar_text(path),
                          project.working_dir));
    }
  }
  for (const auto& entry : options.ssh) add_ssh(parse_ssh(entry, project.working_dir));
}

}  // namespace

BuilderChoice choose_builder(const model::Service& service, const std::map<std::string, std::string>& environment,
                             const EngineBuildKit& engine) {
  std::optional<Builder> wanted;
  if (auto env = environment.find("DOCKER_BUILDKIT"); env != environment.end() && !env->second.empty())
    wanted = is_false_word(env->second) ? Builder::Classic : Builder::BuildKit;
  if (auto ext = service.json->find("x-berth"); ext != service.json->end() && ext->is_object())
    if (auto it = ext->find("builder"); it != ext->end() && !it->is_null()) {
      if (*it == "classic") wanted = Builder::Classic;
      else if (*it == "buildkit") wanted = Builder::BuildKit;
      else
        throw Error(ErrorKind::Config,
                    service_error(service, "x-berth.builder must be classic or buildkit; got " + it->dump()));
    }
  if (wanted == Builder::Classic) return {Builder::Classic, ""};
  if (!engine.offered) {
    if (wanted) throw Error(ErrorKind::Config, service_error(service, "BuildKit was asked for (DOCKER_BUILDKIT=1 or "
                                                                      "x-berth.builder: buildkit), but the engine has none"));
    return {Builder::Classic, ""};
  }
  std::string limits;
  if (auto build = service.json->find("build"); build != service.json->end() && build->is_object())
    for (const char* key : {"ulimits", "shm_size"})
      if (auto it = build->find(key); it != build->end() && !it->is_null() && !(it->is_object() && it->empty()))
        limits += (limits.empty() ? "build." : " and build.") + std::string(key);
  if (!limits.empty() && !engine.takes_limits) {
    const std::string why = limits + " would be ignored by this engine's BuildKit (it takes them from Docker 23, API 1.42)";
    if (wanted) throw Error(ErrorKind::Config, service_error(service, why + "; build with the classic builder "
                                                                           "(DOCKER_BUILDKIT=0 or x-berth.builder: classic)"));
    return {Builder::Classic, why + ": building with the classic builder"};
  }
  return {Builder::BuildKit, ""};
}

BuildJob build_job(const model::Project& project, const model::Service& service, const BuildOverrides& options,
                   Builder builder, const std::function<std::string()>& platform_of_engine) {
  auto build_it = service.json->find("build");
  if (build_it == service.json->end() || !build_it->is_object())
    throw Error(ErrorKind::Config, service_error(service, "has no build section"));
  const json& build = *build_it;
  check_supported(service, build, builder);

  BuildJob job;
  job.service = &service;
  job.builder = builder;
  job.image = service.image_name(project.name);
  const std::string context = build.value("context", std::string("."));
  if (is_remote_context(context))
    throw Error(ErrorKind::Config,
                service_error(service, "build context " + context +
                                           " is a URL: remote (git/http) build contexts are not supported by berth; "
                                           "clone it and use the local directory"));
  job.source.directory = context;
  job.source.dockerfile = build.value("dockerfile", std::string());
  if (auto it = build.find("dockerfile_inline"); it != build.end() && it->is_string())
    job.source.dockerfile_inline = it->get<std::string>();

  auto& r = job.request;
  r.tags.push_back(job.image);
  if (auto it = build.find("tags"); it != build.end() && it->is_array())
    for (const auto& tag : *it)
      if (tag.is_string() && std::find(r.tags.begin(), r.tags.end(), tag.get<std::string>()) == r.tags.end())
        r.tags.push_back(tag.get<std::string>());
  // args: a null value takes the variable from the environment, or is left out.
  if (auto it = build.find("args"); it != build.end() && it->is_object())
    for (const auto& [key, value] : it->items()) {
      if (!value.is_null()) {
        r.build_args[key] = scalar_text(value);
      } else if (auto env = project.environment.find(key); env != project.environment.end()) {
        r.build_args[key] = env->second;
      }
    }
  for (const auto& [key, value] : options.build_args) r.build_args[key] = value;
  r.target = build.value("target", std::string());
  if (auto it = build.find("labels"); it != build.end() && it->is_object())
    for (const auto& [key, value] : it->items()) r.labels[key] = scalar_text(value);
  // The labels docker compose puts on the images it builds.
  r.labels[model::labels::kProject] = project.name;
  r.labels[model::labels::kService] = service.name;
  r.labels[model::labels::kVersion] = BERTH_VERSION;
  r.no_cache = options.no_cache || (build.contains("no_cache") && truthy(build["no_cache"]));
  r.pull = options.pull || (build.contains("pull") && truthy(build["pull"]));
  // The failed step's container goes too: a failed build leaves nothing behind.
  r.force_remove_intermediate = true;
  r.network_mode = build.value("network", std::string());
  if (auto it = build.find("extra_hosts"); it != build.end() && it->is_array())
    for (const auto& host : *it) {
      // The canonical form is "name=ip"; the engine wants "name:ip".
      std::string entry = scalar_text(host);
      if (auto eq = entry.find('='); eq != std::string::npos) entry[eq] = ':';
      r.extra_hosts.push_back(entry);
    }
  if (auto it = build.find("shm_size"); it != build.end()) {
    if (it->is_number_integer()) {
      r.shm_size = it->get<std::int64_t>();
    } else if (it->is_string()) {
      auto bytes = model::parse_bytes(it->get<std::string>());
      if (!bytes) throw Error(ErrorKind::Config, service_error(service, "build.shm_size \"" + it->get<std::string>() + "\" is not a size"));
      r.shm_size = *bytes;
    }
  }
  // The loader's canonical form: a number (soft = hard) or {soft, hard}.
  if (auto it = build.find("ulimits"); it != build.end() && it->is_object())
    for (const auto& [name, value] : it->items()) {
      engine::BuildUlimit limit{name};
      const json soft = value.is_object() ? value.value("soft", json()) : value;
      const json hard = value.is_object() ? value.value("hard", soft) : value;
      if (!soft.is_number_integer() || !hard.is_number_integer())
        throw Error(ErrorKind::Config, service_error(service, "build.ulimits." + name + " must be a number or {soft, hard}"));
      limit.soft = soft.get<std::int64_t>();
      limit.hard = hard.get<std::int64_t>();
      r.ulimits.push_back(std::move(limit));
    }
  if (auto it = build.find("cache_from"); it != build.end() && it->is_array())
    for (const auto& image : *it) r.cache_from.push_back(scalar_text(image));
  if (auto it = build.find("platforms"); it != build.end() && it->is_array() && !it->empty()) {
    const std::string engine = platform_of_engine();
    for (const auto& platform : *it)
      if (scalar_text(platform) != engine)
        throw Error(ErrorKind::Config,
                    service_error(service, "build.platforms lists " + scalar_text(platform) +
                                               ", but the engine's builder only builds for its own platform " +
                                               engine));
  }
  if (auto it = service.json->find("platform"); it != service.json->end() && it->is_string())
    r.platform = it->get<std::string>();
  if (builder == Builder::BuildKit) buildkit_parts(project, service, build, options, job);
  return job;
}

void BuilderOutput::feed(const std::string& text) {
  pending_ += text;
  size_t start = 0;
  for (size_t newline; (newline = pending_.find('\n', start)) != std::string::npos; start = newline + 1)
    line(pending_.substr(start, newline - start));
  pending_.erase(0, start);
}

void BuilderOutput::flush() {
  if (!pending_.empty()) line(pending_);
  pending_.clear();
}

std::string BuilderOutput::step_tail() const {
  std::string out;
  for (const auto& l : step_) out += "\n  " + l;
  return out;
}

void BuilderOutput::line(std::string text) {
  constexpr size_t kMaxStepLines = 12;
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n')) text.pop_back();
  if (text.starts_with("Step ")) step_.clear();
  step_.push_back(text);
  if (step_.size() > kMaxStepLines) step_.erase(step_.begin() + 1);  // keep the "Step n/m" line
  on_line_(text);
}

std::string run_classic_build(engine::Engine& engine, BuildJob& job, BuilderOutput& output,
                              engine::CancelToken* cancel) {
  try {
    auto context = BuildContext::prepare(job.source);
    job.request.dockerfile = context.dockerfile_name();
    auto id = engine.build_image(
        job.request, context.archive(),
        [&](const engine::ProgressMessage& m) {
          if (!m.stream.empty()) output.feed(m.stream);
        },
        cancel);
    output.flush();
    return id;
  } catch (...) {
    output.flush();
    throw;
  }
}

}  // namespace berth::builder
