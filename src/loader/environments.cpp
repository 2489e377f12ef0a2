#include "berth/loader/environments.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "berth/loader/diagnostics.h"
#include "merge.h"
#include "merge_keys.h"
#include "berth/loader/project_files.h"
#include "to_json.h"
#include "yaml_reader.h"

namespace berth::loader {

using nlohmann::json;

namespace {

SourceMark mark_of(const MarkLookup& mark, const std::string& pointer) { return mark ? mark(pointer) : SourceMark{}; }

// A string or a list of strings (compose's usual "one or many").
std::vector<std::string> one_or_many(const json& value, const std::string& what, const std::string& pointer,
                                     const MarkLookup& mark) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (value.is_string()) return {value.get<std::string>()};
  if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      if (!value[i].is_string())
        throw config_error(mark_of(mark, pointer + "/" + std::to_string(i)), what + " must be a list of strings");
      out.push_back(value[i].get<std::string>());
    }
    return out;
  }
  throw config_error(mark_of(mark, pointer), what + " must be a string or a list of strings");
}

std::string known_names(const json& environments) {
  std::string out;
  for (const auto& [key, _] : environments.items()) out += (out.empty() ? "" : ", ") + key;
  return out;
}

std::string absolute_in(const std::string& path, const std::string& dir) {
  std::filesystem::path p(path);
  if (p.is_relative()) p = std::filesystem::path(dir) / p;
  return p.lexically_normal().string();
}

}  // namespace

EnvironmentDefinition find_environment(const json& x_berth, const std::string& name, const MarkLookup& mark) {
  const json* environments = nullptr;
  if (x_berth.is_object())
    if (auto it = x_berth.find("environments"); it != x_berth.end() && !it->is_null()) environments = &*it;
  if (!environments || (environments->is_object() && environments->empty()))
    throw Error(ErrorKind::Usage, "environment \"" + name +
                                      "\" was asked for (--env or BERTH_ENV), but the compose file defines no "
                                      "environments (x-berth.environments)");
  if (!environments->is_object())
    throw config_error(mark_of(mark, "/environments"), "x-berth.environments must be a mapping of names");
  auto found = environments->find(name);
  if (found == environments->end())
    throw Error(ErrorKind::Usage, "unknown environment \"" + name + "\"; the compose file defines: " +
                                      known_names(*environments));
  const std::string base = "/environments/" + name;
  const std::string what = "x-berth.environments." + name;
  EnvironmentDefinition env;
  env.name = name;
  if (found->is_null()) return env;
  if (!found->is_object()) throw config_error(mark_of(mark, base), what + " must be a mapping");
  for (const auto& [key, value] : found->items()) {
    const std::string pointer = base + "/" + key;
    if (key == "files") env.files = one_or_many(value, what + ".files", pointer, mark);
    else if (key == "profiles") env.profiles = one_or_many(value, what + ".profiles", pointer, mark);
    else if (key == "env_file") env.env_files = one_or_many(value, what + ".env_file", pointer, mark);
    else if (key == "forbid_labels") env.forbid_labels = one_or_many(value, what + ".forbid_labels", pointer, mark);
    else if (key == "security") {
      std::string level = value.is_string() ? value.get<std::string>() : value.dump();
      if (level != "compat" && level != "standard" && level != "strict")
        throw config_error(mark_of(mark, pointer),
                           what + ".security must be one of compat, standard, strict; got " + level);
      env.security = level;
    } else {
      throw config_error(mark_of(mark, pointer), what + ": unsupported key \"" + key +
                                                     "\" (known: files, profiles, env_file, security, forbid_labels)");
    }
  }
  return env;
}

EnvironmentDefinition apply_environment(ResolvedProject& resolved, const std::string& name,
                                        const Environment& process_env) {
  std::vector<Node> layers;
  for (const auto& file : resolved.files) {
    std::vector<Node> documents = read_documents(file);
    for (auto& document : documents) apply_merge_keys(document);
    layers.push_back(merge_all(documents));
  }
  Node merged = merge_all(layers);
  json x_berth;
  PositionMap positions;
  if (const Node* node = merged.find("x-berth")) positions = to_json(*node, x_berth);
  MarkLookup mark = [&positions](const std::string& pointer) { return positions.lookup(pointer); };
  EnvironmentDefinition env = find_environment(x_berth, name, mark);

  for (const auto& file : env.files) {
    std::string path = absolute_in(file, resolved.project_dir);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
      throw Error(ErrorKind::Config, "environment \"" + name + "\": file " + path + " does not exist");
    resolved.files.push_back(ConfigFile{path, std::nullopt});
  }
  for (const auto& profile : env.profiles) {
    bool active = false;
    for (const auto& p : resolved.profiles) active = active || p == profile;
    if (!active) resolved.profiles.push_back(profile);
  }
  if (!env.env_files.empty()) {
    std::vector<std::string> paths;
    for (const auto& f : env.env_files) paths.push_back(absolute_in(f, resolved.project_dir));
    // The process environment still wins; the environment's file wins over
    // the project's .env (or --env-file) it comes after.
    for (const auto& [key, value] : read_env_files(paths, process_env, true))
      if (!process_env.count(key)) resolved.env[key] = value;
  }
  return env;
}

}  // namespace berth::loader
