// BuildKit's trace as `--progress plain` lines, from StatusResponse messages
// made here as the engine sends them.
#include <catch2/catch.hpp>

#include "berth/util/base64.h"
#include "builder/buildkit_progress.h"
#include "builder/buildkit_trace.h"
#include "buildkit_status.pb.h"

using berth::builder::BuildKitProgress;
using berth::builder::dockerfile_line_of;

namespace {

namespace pb = moby::buildkit::v1;

void at(google::protobuf::Timestamp* t, double seconds) {
  t->set_seconds(static_cast<std::int64_t>(seconds));
  t->set_nanos(static_cast<int>((seconds - static_cast<std::int64_t>(seconds)) * 1e9));
}

pb::Vertex* vertex(pb::StatusResponse& r, const std::string& digest, const std::string& name) {
  auto* v = r.add_vertexes();
  v->set_digest(digest);
  v->set_name(name);
  return v;
}

std::string trace(const pb::StatusResponse& r) { return berth::base64_encode(r.SerializeAsString()); }

}  // namespace

TEST_CASE("buildkit progress: steps, output, cached and done, numbered as first seen", "[builder][buildkit]") {
  std::vector<std::string> lines;
  BuildKitProgress progress([&](const std::string& line) { lines.push_back(line); });

  pb::StatusResponse started;
  at(vertex(started, "sha256:a", "[stage-0 1/2] FROM docker.io/library/busybox")->mutable_started(), 10);
  at(vertex(started, "sha256:b", "[stage-0 2/2] RUN make")->mutable_started(), 10.5);
  progress.feed_trace(trace(started));

  pb::StatusResponse output;
  auto* log = output.add_logs();
  log->set_vertex("sha256:b");
  at(log->mutable_timestamp(), 10.75);
  log->set_msg("compiling\nhalf a li");
  progress.feed_trace(trace(output));

  pb::StatusResponse done;
  auto* cached = vertex(done, "sha256:a", "[stage-0 1/2] FROM docker.io/library/busybox");
  cached->set_cached(true);
  auto* more = done.add_logs();
  more->set_vertex("sha256:b");
  at(more->mutable_timestamp(), 11);
  more->set_msg("ne\n");
  auto* finished = vertex(done, "sha256:b", "[stage-0 2/2] RUN make");
  at(finished->mutable_started(), 10.5);
  at(finished->mutable_completed(), 11.75);
  progress.feed_trace(trace(done));
  progress.feed_trace("not base64 !!");  // skipped

  const std::vector<std::string> expected = {
      "#1 [stage-0 1/2] FROM docker.io/library/busybox",
      "#2 [stage-0 2/2] RUN make",
      "#2 0.250 compiling",
      "#2 0.500 half a line",
      "#1 CACHED",
      "#2 DONE 1.2s",
  };
  CHECK(lines == expected);
  CHECK(progress.failure_tail().empty());
}

TEST_CASE("buildkit progress: a failing step keeps its name, Dockerfile line and last output", "[builder][buildkit]") {
  std::vector<std::string> lines;
  BuildKitProgress progress([&](const std::string& line) { lines.push_back(line); },
                            "FROM busybox\nRUN echo ok\nRUN echo failing && \\\n  exit 3\n");
  pb::StatusResponse r;
  at(vertex(r, "sha256:c", "[2/2] RUN echo failing &&   exit 3")->mutable_started(), 1);
  auto* log = r.add_logs();
  log->set_vertex("sha256:c");
  at(log->mutable_timestamp(), 1.5);
  log->set_msg("failing\n");
  progress.feed_trace(trace(r));
  pb::StatusResponse failed;
  vertex(failed, "sha256:c", "[2/2] RUN echo failing &&   exit 3")->set_error("exit code: 3");
  progress.feed_trace(trace(failed));
  CHECK(lines.back() == "#1 ERROR: exit code: 3");
  CHECK(progress.failure_tail() == "\n  #1 [2/2] RUN echo failing &&   exit 3\n  Dockerfile:3\n  failing");
}

TEST_CASE("buildkit progress: a step's Dockerfile line", "[builder][buildkit]") {
  const std::string dockerfile = "# syntax=docker/dockerfile:1\nFROM busybox AS base\nrun echo one\nCOPY a /a\n"
                                 "RUN --mount=type=cache,target=/c \\\n    make\n";
  CHECK(dockerfile_line_of(dockerfile, "[base 2/4] RUN echo one") == 3);  // keywords in any case
  CHECK(dockerfile_line_of(dockerfile, "[base 3/4] COPY a /a") == 4);
  CHECK(dockerfile_line_of(dockerfile, "[base 4/4] RUN --mount=type=cache,target=/c     make") == 5);
  CHECK(dockerfile_line_of(dockerfile, "[internal] load metadata") == 0);
  CHECK(dockerfile_line_of("", "[1/1] RUN x") == 0);
}

TEST_CASE("buildkit trace: the wire decoder reads protoc's encoding and rejects malformed bytes", "[builder][buildkit]") {
  namespace trace = berth::builder::trace;
  pb::StatusResponse r;
  auto* v = vertex(r, "sha256:d", "[1/1] RUN x");
  at(v->mutable_started(), 5.25);
  at(v->mutable_completed(), 6);
  v->set_cached(true);
  v->add_inputs("sha256:c");  // not read: skipped
  auto* s = r.add_statuses();
  s->set_id("extracting");
  s->set_vertex("sha256:d");
  s->set_current(3);
  s->set_total(7);
  at(s->mutable_completed(), 6);
  auto* w = r.add_warnings();  // not read: skipped
  w->set_vertex("sha256:d");
  w->set_level(1);
  auto decoded = trace::decode_status(r.SerializeAsString());
  REQUIRE(decoded);
  REQUIRE(decoded->vertexes.size() == 1);
  CHECK(decoded->vertexes[0].digest == "sha256:d");
  CHECK(decoded->vertexes[0].cached);
  CHECK(decoded->vertexes[0].started_ns == 5250000000);
  CHECK(decoded->vertexes[0].completed_ns == 6000000000);
  REQUIRE(decoded->statuses.size() == 1);
  CHECK(decoded->statuses[0].current == 3);
  CHECK(decoded->statuses[0].total == 7);
  const std::string bytes = r.SerializeAsString();
  CHECK_FALSE(trace::decode_status(bytes.substr(0, bytes.size() - 3)));  // cut short
  CHECK_FALSE(trace::decode_status(std::string("\x0a\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11)));
  CHECK_FALSE(trace::decode_status(std::string("\x0b", 1)));  // wire type 3 (groups) is not used
  CHECK(trace::decode_status(""));  // an empty message is a valid one
}
