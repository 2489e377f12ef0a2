#include "policy/dockerfile_rules.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

const berth::policy::Finding* find(const std::vector<berth::policy::Finding>& findings, const std::string& id) {
  for (const auto& f : findings)
    if (f.id == id) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("Dockerfile checks", "[policy][audit][dockerfile]") {
  struct Case {
    const char* text;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {"FROM debian:12\nUSER app\nHEALTHCHECK CMD true\n", {}},
      {"FROM debian\nUSER app\nHEALTHCHECK CMD true\n", {"dockerfile-unpinned-base"}},
      {"FROM debian:latest\nUSER app\nHEALTHCHECK CMD true\n", {"dockerfile-unpinned-base"}},
      {"FROM debian@sha256:abc\nUSER app\nHEALTHCHECK CMD true\n", {}},
      {"FROM debian:12 AS base\nFROM base\nUSER app\nHEALTHCHECK CMD true\n", {}},
      {"FROM debian:12\nHEALTHCHECK CMD true\n", {"dockerfile-user"}},
      {"FROM debian:12\nUSER root\nHEALTHCHECK CMD true\n", {"dockerfile-user"}},
      {"FROM debian:12\nUSER app\nFROM debian:12\nHEALTHCHECK CMD true\n", {"dockerfile-user"}},
      {"FROM debian:12\nADD app.tar /\nUSER app\nHEALTHCHECK CMD true\n", {"dockerfile-add"}},
      {"FROM debian:12\nARG DB_PASSWORD\nENV API_TOKEN=x \\\n  OTHER=y\nUSER app\nHEALTHCHECK CMD true\n",
       {"dockerfile-secret", "dockerfile-secret"}},
      {"FROM debian:12\nUSER app\n", {"dockerfile-healthcheck"}},
      {"# comment\nfrom debian:12\nuser app\nhealthcheck NONE\n", {"dockerfile-healthcheck"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    auto findings = berth::policy::check_dockerfile(c.text, "Dockerfile", "app");
    std::vector<std::string> ids;
    for (const auto& f : findings) ids.push_back(f.id);
    CHECK(ids == c.ids);
  }
  auto findings = berth::policy::check_dockerfile("FROM debian:12\nUSER app\nARG X=1\nARG GITHUB_TOKEN\n", "Dockerfile", "app");
  REQUIRE(find(findings, "dockerfile-secret"));
  CHECK(find(findings, "dockerfile-secret")->mark.line == 4);
}
