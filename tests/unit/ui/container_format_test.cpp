#include "berth/ui/container_format.h"

#include <catch2/catch.hpp>

using namespace berth::ui;

TEST_CASE("human durations read like docker's", "[ui][container_format]") {
  struct Case {
    std::int64_t seconds;
    const char* expected;
  };
  const Case cases[] = {
      {0, "Less than a second"}, {1, "1 second"},        {59, "59 seconds"},     {60, "About a minute"},
      {119, "About a minute"},   {120, "2 minutes"},     {3599, "59 minutes"},   {3600, "About an hour"},
      {5399, "About an hour"},   {5400, "2 hours"},      {47 * 3600, "47 hours"}, {48 * 3600, "2 days"},
      {14 * 86400, "2 weeks"},   {60 * 86400, "2 months"}, {800 * 86400, "2 years"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.seconds);
    CHECK(human_duration(c.seconds) == c.expected);
  }
}

TEST_CASE("commands are quoted and cut to 20 characters", "[ui][container_format]") {
  struct Case {
    std::string command;
    bool full;
    std::string expected;
  };
  const Case cases[] = {
      {"sleep 3600", false, "\"sleep 3600\""},
      {"12345678901234567890", false, "\"12345678901234567890\""},
      {"/docker-entrypoint.sh nginx", false, "\"/docker-entrypoint.…\""},
      {"/docker-entrypoint.sh nginx", true, "\"/docker-entrypoint.sh nginx\""},
      {"sh -c \"echo a\\b\"", true, "\"sh -c \\\"echo a\\\\b\\\"\""},
      {"", false, "\"\""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.command, c.full);
    CHECK(quoted_command(c.command, c.full) == c.expected);
  }
}

TEST_CASE("health and exit code come from the status text", "[ui][container_format]") {
  struct Case {
    const char* status;
    const char* health;
    int exit_code;
  };
  const Case cases[] = {
      {"Up 2 minutes (healthy)", "healthy", 0},
      {"Up 3 seconds (health: starting)", "starting", 0},
      {"Up 1 minute (unhealthy)", "unhealthy", 0},
      {"Exited (137) 5 seconds ago", "", 137},
      {"Exited (0) About a minute ago", "", 0},
      {"Created", "", 0},
      {"Exited (garbage", "", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.status);
    CHECK(health_from_status(c.status) == c.health);
    CHECK(exit_code_from_status(c.status) == c.exit_code);
  }
}

TEST_CASE("human_size prints decimal units like docker images", "[ui][container_format]") {
  const std::pair<std::int64_t, const char*> cases[] = {
      {0, "0B"}, {512, "512B"}, {4100, "4.1kB"}, {1234567, "1.23MB"}, {2000000000, "2GB"}, {999, "999B"},
  };
  for (const auto& [bytes, text] : cases) {
    CAPTURE(bytes);
    CHECK(human_size(bytes) == text);
  }
  CHECK(human_size(1234567, 4) == "1.235MB");
}

TEST_CASE("repository and tag of a container's image, as compose images shows them", "[ui][container_format]") {
  struct Case {
    std::string reference, repository, tag;
  };
  const Case cases[] = {
      {"busybox", "busybox", "latest"},
      {"docker.io/library/busybox:1.36", "busybox", "1.36"},
      {"docker.io/team/app:v2", "team/app", "v2"},
      {"127.0.0.1:5000/berth-test/app:v1", "127.0.0.1:5000/berth-test/app", "v1"},
      {"localhost:5000/app", "localhost:5000/app", "latest"},
      {"app@sha256:abcd", "app", ""},
      {"sha256:0123456789ab", "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.reference);
    auto r = repository_and_tag(c.reference);
    CHECK(r.repository == c.repository);
    CHECK(r.tag == c.tag);
  }
}
