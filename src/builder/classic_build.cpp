#include "berth/builder/classic_build.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/model/units.h"
#include "berth/util/error.h"

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

// Refuses what POST /build cannot do, naming the option.
void check_supported(const model::Service& service, const json& build) {
  auto refuse = [&](const std::string& key, const std::string& why) {
    throw Error(ErrorKind::Config, service_error(service, "build." + key + " " + why));
  };
  static const char* buildkit_only[] = {"secrets", "ssh", "cache_to", "additional_contexts", "entitlements",
                                        "no_cache_filter"};
  for (const char* key : buildkit_only)
    if (auto it = build.find(key); it != build.end() && !it->is_null() && !it->empty())
      refuse(key, "needs BuildKit: berth builds with the engine's classic builder (POST /build), which cannot do it");
  for (const char* key : {"privileged", "sbom", "provenance"})
    if (auto it = build.find(key); it != build.end() && truthy(*it))
      refuse(key, "needs BuildKit: berth builds with the engine's classic builder (POST /build), which cannot do it");
  if (auto it = build.find("isolation"); it != build.end() && it->is_string() && *it != "default")
    refuse("isolation", "\"" + it->get<std::string>() + "\" is not supported: Linux engines only know \"default\"");
}

}  // namespace

BuildJob classic_build_job(const model::Project& project, const model::Service& service,
                           const BuildOverrides& options, const std::function<std::string()>& platform_of_engine) {
  auto build_it = service.json->find("build");
  if (build_it == service.json->end() || !build_it->is_object())
    throw Error(ErrorKind::Config, service_error(service, "has no build section"));
  const json& build = *build_it;
  check_supported(service, build);

  BuildJob job;
  job.service = &service;
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
                                               ", but the classic builder only builds for the engine's platform " +
                                               engine));
  }
  if (auto it = service.json->find("platform"); it != service.json->end() && it->is_string())
    r.platform = it->get<std::string>();
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
