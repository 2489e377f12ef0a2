#include "berth/exec/hooks.h"

#include <chrono>
#include <deque>
#include <thread>

#include <nlohmann/json.hpp>

#include "berth/engine/engine.h"
#include "berth/engine/types.h"

namespace berth::exec {

using nlohmann::json;

namespace {

constexpr size_t kKeptLines = 10;

std::string text_of(const json& hook, const char* key) {
  auto it = hook.find(key);
  return it != hook.end() && it->is_string() ? it->get<std::string>() : "";
}

// Splits output into lines as it arrives; keeps the last few.
class LineCollector {
 public:
  explicit LineCollector(const std::function<void(std::string_view)>& on_line) : on_line_(on_line) {}

  void feed(std::string_view bytes) {
    for (char c : bytes) {
      if (c != '\n') {
        partial_ += c;
        continue;
      }
      line_done();
    }
  }
  void finish() {
    if (!partial_.empty()) line_done();
  }
  std::string last() const {
    std::string out;
    for (const auto& line : lines_) out += (out.empty() ? "" : "\n") + line;
    return out;
  }

 private:
  void line_done() {
    if (!partial_.empty() && partial_.back() == '\r') partial_.pop_back();
    if (on_line_) on_line_(partial_);
    lines_.push_back(std::move(partial_));
    partial_.clear();
    if (lines_.size() > kKeptLines) lines_.pop_front();
  }

  const std::function<void(std::string_view)>& on_line_;
  std::string partial_;
  std::deque<std::string> lines_;
};

}  // namespace

HookResult run_hook(engine::Engine& engine, const std::string& container_id, const json& hook,
                    const std::function<void(std::string_view line)>& on_line) {
  engine::ExecOptions options;
  if (auto command = hook.find("command"); command != hook.end() && command->is_array())
    for (const auto& word : *command)
      if (word.is_string()) options.cmd.push_back(word.get<std::string>());
  if (auto env = hook.find("environment"); env != hook.end() && env->is_object())
    for (auto it = env->begin(); it != env->end(); ++it)
      if (it->is_string()) options.env.push_back(it.key() + "=" + it->get<std::string>());
  options.user = text_of(hook, "user");
  options.working_dir = text_of(hook, "working_dir");
  options.privileged = hook.value("privileged", false);
  options.attach_stdout = true;
  options.attach_stderr = true;

  const std::string exec_id = engine.create_exec(container_id, options);
  LineCollector lines(on_line);
  auto stream = engine.start_exec(exec_id, {});
  if (stream) engine::read_all_output(*stream, [&](engine::StreamKind, std::string_view bytes) { lines.feed(bytes); });
  lines.finish();
  HookResult result;
  // The stream ends when the process does; the engine may record its exit
  // code a moment later.
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto inspected = engine.inspect_exec(exec_id);
    if (!inspected.running && inspected.exit_code) {
      result.exit_code = *inspected.exit_code;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.last_output = lines.last();
  return result;
}

std::string describe_hook_failure(const std::string& which, const json& hook, const HookResult& result) {
  std::string command;
  if (auto words = hook.find("command"); words != hook.end() && words->is_array())
    for (const auto& w : *words) command += (command.empty() ? "" : " ") + (w.is_string() ? w.get<std::string>() : w.dump());
  std::string out = which + " `" + command + "` exited with status " + std::to_string(result.exit_code);
  if (!result.last_output.empty()) out += "; its last output:\n" + result.last_output;
  return out;
}

}  // namespace berth::exec
