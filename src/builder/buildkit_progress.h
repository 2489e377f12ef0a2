#pragma once
// BuildKit's progress (the `moby.buildkit.trace` messages of POST
// /build?version=2, each a base64 StatusResponse) as the lines `docker
// buildx build --progress plain` prints:
//
//   #3 [stage-0 2/3] RUN pip wheel -r requirements.txt
//   #3 0.412 Collecting flask
//   #3 DONE 1.3s
//   #2 [stage-0 1/3] FROM docker.io/library/python:3.11
//   #2 CACHED
//   #4 ERROR: process "/bin/sh -c exit 3" did not complete successfully
//
// Steps are numbered in the order BuildKit first reports them. The failing
// step's name, its Dockerfile line and its last output lines are kept for the
// error message.
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "berth/builder/run_build.h"

namespace berth::builder {

class BuildKitProgress {
 public:
  // `dockerfile`: the Dockerfile's text, to find a failing step's line ("" when unknown).
  BuildKitProgress(std::function<void(const std::string& line)> on_line, std::string dockerfile = {});
  // Also (or, with an empty `on_line`, only) the steps as events.
  void on_step(std::function<void(const BuildStep& step)> on_step) { on_step_ = std::move(on_step); }

  // One trace message's `aux` (base64). Malformed ones are skipped: progress
  // is for people, and a build never fails because of it.
  void feed_trace(const std::string& base64);
  // Prints what is still pending (a last partial log line).
  void flush();

  // "\n  #4 [stage-0 3/3] RUN exit 3\n  Dockerfile:3\n  <its last lines>",
  // or "" when no step failed.
  std::string failure_tail() const;

 private:
  // One StatusResponse, serialized (feed_trace decodes the base64 first).
  void feed_status(const std::string& serialized);

  struct Step {
    int number = 0;
    std::string name;
    bool announced = false;
    bool finished = false;
    std::int64_t started_ns = 0;
    std::string pending;             // a log line not yet ended
    std::deque<std::string> recent;  // the last output lines, for the error
    std::string error;
  };
  Step& step(const std::string& digest);
  void announce(Step& s);
  void log(Step& s, std::int64_t at_ns, const std::string& text);
  void log_line(Step& s, std::int64_t at_ns, const std::string& line);

  void line(const std::string& text) {
    if (on_line_) on_line_(text);
  }
  void step_event(const Step& s, BuildStep::State state, double seconds = 0, const std::string& text = {});

  std::function<void(const std::string&)> on_line_;
  std::function<void(const BuildStep&)> on_step_;
  std::string dockerfile_;
  std::map<std::string, Step> steps_;  // by vertex digest
  std::string failed_;                 // the digest of the failing step
  int next_number_ = 1;
};

// The line of `dockerfile` (1-based) that holds the instruction a step
// named "[stage-0 2/3] RUN make" runs; 0 when not found.
int dockerfile_line_of(const std::string& dockerfile, const std::string& step_name);

}  // namespace berth::builder
