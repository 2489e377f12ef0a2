#include "buildkit_progress.h"

#include <cstdio>
#include <sstream>

#include "berth/util/base64.h"
#include "berth/util/error.h"
#include "berth/util/strings.h"
#include "buildkit_trace.h"

namespace berth::builder {
namespace {

constexpr std::size_t kRecentLines = 12;

std::string seconds_text(std::int64_t ns, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, static_cast<double>(ns < 0 ? 0 : ns) / 1e9);
  return text;
}

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

BuildKitProgress::BuildKitProgress(std::function<void(const std::string& line)> on_line, std::string dockerfile)
    : on_line_(std::move(on_line)), dockerfile_(std::move(dockerfile)) {}

void BuildKitProgress::feed_trace(const std::string& base64) {
  try {
    feed_status(base64_decode(base64));
  } catch (const Error&) {
  }
}

void BuildKitProgress::step_event(const Step& s, BuildStep::State state, double seconds, const std::string& text) {
  if (!on_step_) return;
  BuildStep event;
  event.number = s.number;
  event.name = s.name;
  event.state = state;
  event.seconds = seconds;
  event.text = text;
  on_step_(event);
}

BuildKitProgress::Step& BuildKitProgress::step(const std::string& digest) {
  Step& s = steps_[digest];
  if (s.number == 0) s.number = next_number_++;
  return s;
}

void BuildKitProgress::announce(Step& s) {
  if (s.announced) return;
  s.announced = true;
  line("#" + std::to_string(s.number) + " " + s.name);
  step_event(s, BuildStep::State::Running);
}

void BuildKitProgress::log_line(Step& s, std::int64_t at_ns, const std::string& text) {
  announce(s);
  const std::int64_t since = s.started_ns ? at_ns - s.started_ns : 0;
  line("#" + std::to_string(s.number) + " " + seconds_text(since, 3) + " " + text);
  step_event(s, BuildStep::State::Output, static_cast<double>(since) / 1e9, text);
  s.recent.push_back(text);
  if (s.recent.size() > kRecentLines) s.recent.pop_front();
}

void BuildKitProgress::log(Step& s, std::int64_t at_ns, const std::string& text) {
  s.pending += text;
  std::size_t start = 0;
  for (std::size_t newline; (newline = s.pending.find('\n', start)) != std::string::npos; start = newline + 1) {
    std::string line = s.pending.substr(start, newline - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    log_line(s, at_ns, line);
  }
  s.pending.erase(0, start);
}

void BuildKitProgress::feed_status(const std::string& serialized) {
  auto status = trace::decode_status(serialized);
  if (!status) return;
  // As buildx prints a message: steps that started, then their statuses and
  // output, then the steps that ended.
  for (const auto& v : status->vertexes) {
    Step& s = step(v.digest);
    if (!v.name.empty()) s.name = v.name;
    if (v.started_ns && !s.started_ns) s.started_ns = *v.started_ns;
    if (!s.finished && (v.started_ns || v.cached)) announce(s);
  }
  for (const auto& st : status->statuses) {
    if (!st.completed_ns) continue;
    Step& s = step(st.vertex);
    std::string status = "#" + std::to_string(s.number) + " " + (st.name.empty() ? st.id : st.name);
    if (st.total > 0) status += " " + std::to_string(st.current) + "/" + std::to_string(st.total);
    announce(s);
    line(status + " done");
  }
  for (const auto& l : status->logs) log(step(l.vertex), l.timestamp_ns, l.msg);
  for (const auto& v : status->vertexes) {
    Step& s = step(v.digest);
    if (s.finished) continue;
    if (v.cached) {
      line("#" + std::to_string(s.number) + " CACHED");
      step_event(s, BuildStep::State::Cached);
      s.finished = true;
    } else if (!v.error.empty()) {
      announce(s);
      if (!s.pending.empty()) log_line(s, s.started_ns, std::exchange(s.pending, {}));
      s.error = v.error;
      line("#" + std::to_string(s.number) + " ERROR: " + v.error);
      step_event(s, BuildStep::State::Error, 0, v.error);
      s.finished = true;
      if (failed_.empty()) failed_ = v.digest;
    } else if (v.completed_ns) {
      announce(s);
      if (!s.pending.empty()) log_line(s, *v.completed_ns, std::exchange(s.pending, {}));
      const std::int64_t took = s.started_ns ? *v.completed_ns - s.started_ns : 0;
      line("#" + std::to_string(s.number) + " DONE " + seconds_text(took, 1) + "s");
      step_event(s, BuildStep::State::Done, static_cast<double>(took) / 1e9);
      s.finished = true;
    }
  }
}

void BuildKitProgress::flush() {
  for (auto& [digest, s] : steps_)
    if (!s.pending.empty()) log_line(s, s.started_ns, std::exchange(s.pending, {}));
}

std::string BuildKitProgress::failure_tail() const {
  auto it = steps_.find(failed_);
  if (it == steps_.end()) return "";
  const Step& s = it->second;
  std::string out = "\n  #" + std::to_string(s.number) + " " + s.name;
  if (int line = dockerfile_line_of(dockerfile_, s.name)) out += "\n  Dockerfile:" + std::to_string(line);
  for (const auto& l : s.recent) out += "\n  " + l;
  if (!s.pending.empty()) out += "\n  " + s.pending;
  return out;
}

int dockerfile_line_of(const std::string& dockerfile, const std::string& step_name) {
  // "[stage-0 2/3] RUN make" -> "RUN make"
  std::string instruction = step_name;
  if (instruction.starts_with("[")) {
    auto close = instruction.find("] ");
    if (close == std::string::npos) return 0;
    instruction = instruction.substr(close + 2);
  }
  if (instruction.empty()) return 0;
  auto space = instruction.find(' ');
  const std::string keyword = upper(instruction.substr(0, space));
  const std::string rest = space == std::string::npos ? "" : std::string(trim(instruction.substr(space + 1)));
  std::istringstream in(dockerfile);
  int number = 0;
  int candidate = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    std::string text(trim(line));
    auto first_space = text.find_first_of(" \t");
    if (first_space == std::string::npos || upper(text.substr(0, first_space)) != keyword) continue;
    const std::string args(trim(text.substr(first_space)));
    if (args == rest) return number;
    // A continued instruction shows in the step's name joined; its first line starts it.
    if (!candidate && !args.empty() && rest.starts_with(std::string(trim(args.substr(0, args.find('\\'))))))
      candidate = number;
  }
  return candidate;
}

}  // namespace berth::builder
