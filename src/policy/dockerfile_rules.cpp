#include "dockerfile_rules.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "berth/model/project.h"
#include "berth/policy/image_facts.h"
#include "rules.h"

namespace berth::policy {

using nlohmann::json;

namespace {

struct Instruction {
  std::string keyword;  // upper case
  std::string arguments;
  int line = 0;
};

// Joins continuation lines and drops comments; a parser-directive-free
// reading that is enough for these checks.
std::vector<Instruction> instructions(const std::string& text) {
  std::vector<Instruction> out;
  std::istringstream in(text);
  std::string line, pending;
  int number = 0, start = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    if (pending.empty()) start = number;
    bool continued = !line.empty() && line.back() == '\\';
    pending += (pending.empty() ? "" : " ") + line.substr(first, line.size() - first - (continued ? 1 : 0));
    if (continued) continue;
    size_t space = pending.find_first_of(" \t");
    Instruction ins;
    ins.keyword = pending.substr(0, space);
    std::transform(ins.keyword.begin(), ins.keyword.end(), ins.keyword.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    // "RUN " with only blanks after the keyword has no arguments.
    size_t arguments = space == std::string::npos ? space : pending.find_first_not_of(" \t", space);
    ins.arguments = arguments == std::string::npos ? "" : pending.substr(arguments);
    ins.line = start;
    out.push_back(std::move(ins));
    pending.clear();
  }
  return out;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

Finding finding(const std::string& service, const std::string& file, int line, const char* id, std::string message) {
  return make_finding(rule(id), service, SourceMark{file, line, line > 0 ? 1 : 0}, std::move(message),
                      "dockerfile:" + std::to_string(line));
}

}  // namespace

std::vector<Finding> check_dockerfile(const std::string& text, const std::string& file, const std::string& service) {
  std::vector<Finding> out;
  std::set<std::string> stages;
  int last_user_line = 0;
  std::string last_user;
  bool healthcheck = false;
  static const std::regex secret_name("(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)",
                                      std::regex::icase);
  for (const auto& ins : instructions(text)) {
    auto args = words(ins.arguments);
    if (ins.keyword == "FROM") {
      last_user.clear();  // each stage starts as the base image's user; only the last stage runs
      last_user_line = 0;
      std::vector<std::string> plain;
      for (const auto& a : args)
        if (!a.starts_with("--")) plain.push_back(a);
      if (plain.empty()) continue;
      std::string image = plain[0];
      if (plain.size() >= 3) {
        std::string as = plain[1];
        std::transform(as.begin(), as.end(), as.begin(), [](unsigned char c) { return std::tolower(c); });
        if (as == "as") stages.insert(plain[2]);
      }
      if (image == "scratch" || stages.count(image) || image.find('$') != std::string::npos) continue;
      if (image.find("@sha256:") != std::string::npos) continue;
      size_t slash = image.find_last_of('/');
      size_t colon = image.find(':', slash == std::string::npos ? 0 : slash);
      std::string tag = colon == std::string::npos ? "" : image.substr(colon + 1);
      if (tag.empty() || tag == "latest")
        out.push_back(finding(service, file, ins.line, "dockerfile-unpinned-base",
                              "base image " + image + " is not pinned (no tag or :latest)"));
    } else if (ins.keyword == "USER") {
      last_user = args.empty() ? "" : args[0];
      last_user_line = ins.line;
    } else if (ins.keyword == "ADD") {
      out.push_back(finding(service, file, ins.line, "dockerfile-add", "ADD fetches URLs and unpacks archives implicitly"));
    } else if (ins.keyword == "ARG" || ins.keyword == "ENV") {
      for (const auto& a : args) {
        std::string name = a.substr(0, a.find('='));
        if (std::regex_search(name, secret_name))
          out.push_back(finding(service, file, ins.line, "dockerfile-secret",
                                ins.keyword + " " + name + " puts a secret into the image's history"));
      }
    } else if (ins.keyword == "HEALTHCHECK") {
      healthcheck = !(args.size() == 1 && args[0] == "NONE");
    }
  }
  if (last_user.empty() || user_kind(last_user) == UserKind::Root)
    out.push_back(finding(service, file, last_user_line, "dockerfile-user",
                          last_user.empty() ? "the image sets no USER, so it runs as root"
                                            : "the image's last USER is " + last_user));
  if (!healthcheck)
    out.push_back(finding(service, file, 0, "dockerfile-healthcheck", "the image defines no HEALTHCHECK"));
  return out;
}

std::vector<Finding> dockerfile_findings(const model::Project& project, const model::Service& service) {
  (void)project;
  auto build = service.json->find("build");
  if (build == service.json->end() || !build->is_object()) return {};
  if (auto inline_text = build->find("dockerfile_inline"); inline_text != build->end() && inline_text->is_string())
    return check_dockerfile(*inline_text, "(dockerfile_inline of " + service.name + ")", service.name);
  std::string context = build->value("context", ".");
  std::string dockerfile = build->value("dockerfile", "Dockerfile");
  if (context.find("://") != std::string::npos || context.starts_with("git@")) return {};
  std::filesystem::path path = std::filesystem::path(dockerfile).is_absolute()
                                   ? std::filesystem::path(dockerfile)
                                   : std::filesystem::path(context) / dockerfile;
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream text;
  text << in.rdbuf();
  auto findings = check_dockerfile(text.str(), path.string(), service.name);
  for (auto& f : findings) f.subject = "dockerfile:" + f.id + ":" + std::to_string(f.mark.line);
  return findings;
}

}  // namespace berth::policy
