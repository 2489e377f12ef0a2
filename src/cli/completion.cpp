#include "completion.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>
#include <set>

#include "command_line.h"

namespace berth::cli {
namespace {

// CLI11 hides commands and flags whose group is empty (e.g. __complete).
bool is_visible(const CLI::App* app) { return !app->get_group().empty() && !app->get_name().empty(); }
bool is_visible(const CLI::Option* option) { return !option->get_group().empty(); }

bool is_repeatable(const CLI::Option* option) { return option->get_expected_max() > 1; }
bool has_long_name(const CLI::Option* option, const std::string& name) {
  const auto& names = option->get_lnames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name) {
  auto found = app.get_subcommands([&](const CLI::App* sub) { return sub->get_name() == name; });
  return found.empty() ? nullptr : found.front();
}

// The fixed choices of an option, read from its CLI::IsMember check: CLI11
// shows them in the type name as "TEXT:{a,b,c}".
std::vector<std::string> choices_of(const CLI::Option* option) {
  std::vector<std::string> choices;
  const auto type = option->get_type_name();
  auto open = type.find(":{");
  if (open == std::string::npos) return choices;
  auto close = type.find('}', open);
  if (close == std::string::npos) return choices;
  std::string item;
  for (char c : type.substr(open + 2, close - open - 2)) {
    if (c == ',') {
      if (!item.empty()) choices.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  if (!item.empty()) choices.push_back(item);
  return choices;
}

// The command line read up to the word under the cursor.
class Walk {
 public:
  explicit Walk(const CLI::App& root) { chain_.push_back(&root); }

  void read(const std::vector<std::string>& words) {
    for (size_t i = 0; i < words.size(); ++i) {
      const auto& word = words[i];
      if (only_positionals_ || in_command_words()) {
        positionals_.push_back(word);
      } else if (word == "--") {
        only_positionals_ = true;
      } else if (word.size() > 1 && word[0] == '-') {
        auto [name, inline_value] = split_flag(word);
        const auto* option = find_option(name);
        if (!option) continue;  // unknown: the command itself will complain
        used_.insert(option);
        if (!takes_value(*option)) continue;
        if (inline_value) {
          remember(option, *inline_value);
        } else if (i + 1 < words.size()) {
          remember(option, words[++i]);
        } else {
          awaiting_value_ = option;  // the word under the cursor is its value
        }
      } else if (const CLI::App* sub = positionals_.empty() ? find_subcommand(*chain_.back(), word) : nullptr) {
        chain_.push_back(sub);
      } else {
        positionals_.push_back(word);
      }
    }
  }

  const CLI::App& root() const { return *chain_.front(); }
  const CLI::App& command() const { return *chain_.back(); }
  bool at_root() const { return chain_.size() == 1; }
  const std::vector<std::string>& positionals() const { return positionals_; }
  const std::set<const CLI::Option*>& used() const { return used_; }
  const loader::ProjectOptions& project() const { return project_; }
  bool only_positionals() const { return only_positionals_; }

  // The command's words after the last declared positional of a command that
  // passes them on (exec, run): they belong to the container's command.
  bool in_command_words() const {
    return command().get_prefix_command() && positionals_.size() >= positional_capacity();
  }

  // The flag whose value is the word being read, or nullptr.
  const CLI::Option* pending_value_option() const { return awaiting_value_; }

  // Flags valid at this point: the command's, then its parents' while the
  // command lets flags fall through to them (global flags after the command).
  std::vector<const CLI::Option*> visible_flags() const {
    std::vector<const CLI::Option*> flags;
    for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
      for (const auto* option : (*it)->get_options())
        if (is_visible(option) && !option->get_positional()) flags.push_back(option);
      if (!(*it)->get_fallthrough()) break;
    }
    return flags;
  }

  const CLI::Option* find_option(const std::string& name) const {
    for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
      if (const auto* option = (*it)->get_option_no_throw(name)) return option;
      if (!(*it)->get_fallthrough()) break;
    }
    return nullptr;
  }

  // The positional argument the next positional word fills, or nullptr.
  const CLI::Option* next_positional() const {
    size_t index = positionals_.size();
    for (const auto* option : positional_options()) {
      auto capacity = static_cast<size_t>(std::max(option->get_items_expected_max(), 1));
      if (index < capacity) return option;
      index -= capacity;
    }
    return nullptr;
  }

  // A global flag (defined on berth itself), not a command's flag of the same name.
  bool owned_by_root(const CLI::Option* option) const {
    auto options = root().get_options();
    return std::find(options.begin(), options.end(), option) != options.end();
  }

  static std::pair<std::string, std::optional<std::string>> split_flag(const std::string& word) {
    if (word.starts_with("--")) {
      auto eq = word.find('=');
      if (eq == std::string::npos) return {word, std::nullopt};
      return {word.substr(0, eq), word.substr(eq + 1)};
    }
    // -fFILE: a short flag with its value attached (or several short flags).
    if (word.size() > 2) return {word.substr(0, 2), word.substr(2)};
    return {word, std::nullopt};
  }

 private:
  std::vector<const CLI::Option*> positional_options() const {
    return command().get_options([](const CLI::Option* o) { return o->get_positional(); });
  }

  size_t positional_capacity() const {
    size_t total = 0;
    for (const auto* option : positional_options())
      total += static_cast<size_t>(std::max(option->get_items_expected_max(), 1));
    return total;
  }

  // The global flags that choose the project, so dynamic values come from the
  // project the finished command line will load.
  void remember(const CLI::Option* option, const std::string& value) {
    if (!owned_by_root(option)) return;
    auto& o = project_;
    if (has_long_name(option, "file")) o.files.push_back(value);
    else if (has_long_name(option, "project-name")) o.project_name = value;
    else if (has_long_name(option, "project-directory")) o.project_directory = value;
    else if (has_long_name(option, "env-file")) o.env_files.push_back(value);
    else if (has_long_name(option, "profile")) o.profiles.push_back(value);
    else if (has_long_name(option, "env")) o.environment = value;
  }

  std::vector<const CLI::App*> chain_;
  std::vector<std::string> positionals_;
  std::set<const CLI::Option*> used_;
  loader::ProjectOptions project_;
  bool only_positionals_ = false;
  const CLI::Option* awaiting_value_ = nullptr;
};

class Completer {
 public:
  Completer(const Walk& walk, const ProjectNamesLoader& load_names) : walk_(walk), load_names_(load_names) {}

  CompletionResult complete(const std::string& current) {
    if (const auto* option = walk_.pending_value_option()) {
      values_of_flag(option, current, "");
    } else if (!walk_.only_positionals() && !walk_.in_command_words() && current.starts_with("-")) {
      auto [name, inline_value] = Walk::split_flag(current);
      const auto* option = inline_value && current.starts_with("--") ? walk_.find_option(name) : nullptr;
      if (option && takes_value(*option))
        values_of_flag(option, *inline_value, name + "=");
      else
        flags(current);
    } else if (walk_.at_root() && walk_.positionals().empty() && !walk_.only_positionals()) {
      commands(walk_.command(), current);
    } else if (!walk_.in_command_words()) {
      positional_values(current);
    }
    return std::move(result_);
  }

 private:
  void add(const std::string& value, const std::string& current, const std::string& description = "") {
    if (!value.starts_with(current)) return;
    for (const auto& c : result_.candidates)
      if (c.value == value) return;
    result_.candidates.push_back({value, description});
  }

  const ProjectNames& names() {
    if (!names_) {
      try {
        names_ = load_names_ ? load_names_(walk_.project()) : ProjectNames{};
      } catch (...) {
        names_ = ProjectNames{};  // completion never fails loudly
      }
    }
    return *names_;
  }

  void commands(const CLI::App& app, const std::string& current) {
    for (const auto* sub : app.get_subcommands([](const CLI::App* s) { return is_visible(s); }))
      add(sub->get_name(), current, sub->get_description());
  }

  void flags(const std::string& current) {
    const bool long_only = current.starts_with("--");
    for (const auto* option : walk_.visible_flags()) {
      if (walk_.used().count(option) && !is_repeatable(option)) continue;
      if (!long_only)
        for (const auto& s : option->get_snames()) add("-" + s, current, option->get_description());
      for (const auto& l : option->get_lnames()) add("--" + l, current, option->get_description());
    }
  }

  void services(const std::string& current, const std::string& prefix, const std::string& suffix,
                bool skip_typed) {
    for (const auto& service : names().services) {
      const auto& typed = walk_.positionals();
      if (skip_typed && std::find(typed.begin(), typed.end(), service) != typed.end()) continue;
      add(prefix + service + suffix, current);
    }
  }

  void values_of_flag(const CLI::Option* option, const std::string& value, const std::string& prefix) {
    const std::string current = prefix + value;
    for (const auto& choice : choices_of(option)) add(prefix + choice, current);
    if (!result_.candidates.empty()) return;
    auto is = [&](const char* name) { return has_long_name(option, name); };
    const bool global = walk_.owned_by_root(option);
    const auto type = option->get_type_name();
    if (is("scale")) {
      services(current, prefix, "=", false);
    } else if (is("attach") || is("no-attach") || is("exit-code-from")) {
      services(current, prefix, "", false);
    } else if (global && is("profile")) {
      const auto& typed = walk_.project().profiles;
      for (const auto& p : names().profiles)
        if (std::find(typed.begin(), typed.end(), p) == typed.end()) add(prefix + p, current);
    } else if (global && is("env")) {
      for (const auto& e : names().environments) add(prefix + e, current);
    } else if (is("project-directory") || type.find("DIR") != std::string::npos) {
      if (prefix.empty()) result_.fallback = CompletionFallback::Directories;
    } else if (is("file") || is("env-file") || is("output") || type.find("FILE") != std::string::npos ||
               type.find("PATH") != std::string::npos) {
      if (prefix.empty()) result_.fallback = CompletionFallback::Files;
    }
  }

  void positional_values(const std::string& current) {
    const auto* option = walk_.next_positional();
    if (!option) return;
    std::string name = option->get_name();
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (option->get_description().starts_with("SERVICE:")) {
      // cp's SERVICE:PATH or a local path.
      services(current, "", ":", false);
      result_.fallback = CompletionFallback::Files;
    } else if (lower.starts_with("service")) {
      // "SERVICE=REPLICAS" (scale) wants the separator right after the name.
      std::string suffix = lower.size() > 7 && (lower[7] == '=' || lower[7] == ':') ? lower.substr(7, 1) : "";
      services(current, "", suffix, option->get_items_expected_max() > 1);
    } else if (lower == "command") {
      commands(walk_.root(), current);  // `berth help COMMAND`
    }
  }

  const Walk& walk_;
  const ProjectNamesLoader& load_names_;
  std::optional<ProjectNames> names_;
  CompletionResult result_;
};

}  // namespace

CompletionResult complete_command_line(const CLI::App& root, const std::vector<std::string>& words,
                                       const ProjectNamesLoader& load_names) {
  if (words.empty()) return complete_command_line(root, {""}, load_names);
  Walk walk(root);
  walk.read({words.begin(), words.end() - 1});
  Completer completer(walk, load_names);
  return completer.complete(words.back());
}

std::string format_completion(const CompletionResult& result) {
  std::string out;
  for (const auto& c : result.candidates) {
    out += c.value;
    if (!c.description.empty()) {
      out += '\t';
      // One line a candidate: descriptions never span lines.
      for (char ch : c.description) out += (ch == '\n' || ch == '\t') ? ' ' : ch;
    }
    out += '\n';
  }
  if (result.fallback == CompletionFallback::Files) out += ":files\n";
  if (result.fallback == CompletionFallback::Directories) out += ":dirs\n";
  return out;
}

}  // namespace berth::cli
