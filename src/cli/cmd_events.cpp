#include <CLI/CLI.hpp>
#include <algorithm>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/model/labels.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"

namespace berth::cli {
namespace {

struct EventsFlags {
  bool json = false;
  std::vector<std::string> services;
};

// "2006-01-02 15:04:05.000000" in local time, as docker compose prints it.
std::string local_timestamp(const engine::Event& e) {
  std::int64_t nanos = e.time_nano ? e.time_nano : e.time * 1000000000;
  std::time_t seconds = static_cast<std::time_t>(nanos / 1000000000);
  std::tm tm{};
  ::localtime_r(&seconds, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S", &tm);
  char micros[16];
  std::snprintf(micros, sizeof micros, ".%06lld", static_cast<long long>((nanos % 1000000000) / 1000));
  return std::string(date) + micros;
}

// RFC 3339 with nanoseconds in UTC, like Go's time.Time in JSON.
std::string utc_timestamp(const engine::Event& e) {
  std::int64_t nanos = e.time_nano ? e.time_nano : e.time * 1000000000;
  std::time_t seconds = static_cast<std::time_t>(nanos / 1000000000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string fraction = std::to_string(nanos % 1000000000);
  fraction.insert(0, 9 - fraction.size(), '0');
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return std::string(date) + (fraction.empty() ? "" : "." + fraction) + "Z";
}

void print_event(const engine::Event& e, bool json) {
  auto service = e.attributes.find(model::labels::kService);
  const std::string service_name = service == e.attributes.end() ? "" : service->second;
  if (json) {
    nlohmann::ordered_json out = {{"time", utc_timestamp(e)},     {"type", "container"},
                                  {"action", e.action},           {"id", e.actor_id},
                                  {"service", service_name},      {"attributes", e.attributes}};
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
    return;
  }
  std::string line = local_timestamp(e) + " container " + e.action + " " + e.actor_id;
  std::vector<std::string> attributes;
  for (const auto& [k, v] : e.attributes) attributes.push_back(k + "=" + v);
  if (!attributes.empty()) {
    line += " (";
    for (size_t i = 0; i < attributes.size(); ++i) line += (i ? ", " : "") + attributes[i];
    line += ")";
  }
  std::cout << line << std::endl;
}

void run_events(const EventsFlags& f, const GlobalOptions& global) {
  auto project = load_project(global, f.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  engine::EventsOptions options;
  options.filters["type"] = {"container"};
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  engine->events(options, [&](const engine::Event& e) {
    auto service = e.attributes.find(model::labels::kService);
    if (!f.services.empty() && (service == e.attributes.end() ||
                                std::find(f.services.begin(), f.services.end(), service->second) == f.services.end()))
      return true;
    print_event(e, f.json);
    return true;
  }, nullptr);
}

}  // namespace

void register_events(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("events", "Receive real time events from containers");
  auto f = std::make_shared<EventsFlags>();
  cmd->add_flag("--json", f->json, "Output events as a stream of json objects");
  cmd->add_option("service", f->services, "Services (default: all)");
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_events(*f, *global); });
}

}  // namespace berth::cli
