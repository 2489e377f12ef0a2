#pragma once
// The commands that list what the engine holds for projects: ps, ls,
// images, volumes and stats, printed as docker compose prints them (a
// table, JSON, or a Go template where compose takes one).
#include <string>
#include <vector>

namespace berth::service {

struct GlobalOptions;

struct PsOptions {
  std::vector<std::string> services;  // empty: all
  bool all = false;                   // -a: stopped containers and one-offs too
  bool quiet = false;                 // -q: IDs only
  bool services_only = false;         // --services
  bool no_trunc = false;
  bool orphans = true;                // --orphans=false: not containers of services the files no longer declare
  std::vector<std::string> status;    // --status
  std::vector<std::string> filters;   // --filter KEY=VALUE (status only, as compose)
  std::string format = "table";       // table, json, or a Go template
};
void ps(const GlobalOptions& global, PsOptions options);

struct LsOptions {
  bool all = false;                   // -a: stopped projects too
  bool quiet = false;                 // -q: names only
  std::string format = "table";       // table or json
  std::vector<std::string> filters;   // --filter name=VALUE
};
void ls(const LsOptions& options);

struct ImagesOptions {
  std::vector<std::string> services;  // empty: all
  std::string format = "table";       // table or json
  bool quiet = false;                 // -q: IDs only
};
void images(const GlobalOptions& global, const ImagesOptions& options);

struct VolumesOptions {
  std::vector<std::string> services;  // empty: all
  std::string format = "table";       // table or json
  bool quiet = false;                 // -q: names only
};
void volumes(const GlobalOptions& global, const VolumesOptions& options);

struct StatsOptions {
  std::vector<std::string> services;  // empty: all
  bool all = false;                   // -a: stopped containers too
  bool no_stream = false;             // one sample, then return
  bool no_trunc = false;
  std::string format = "table";       // table, json, or a Go template
};
// Without no_stream: a new sample each second until Ctrl-C.
void stats(const GlobalOptions& global, const StatsOptions& options);

}  // namespace berth::service
