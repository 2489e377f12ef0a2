#include "policy/rules.h"

#include <catch2/catch.hpp>
#include <set>

#include "policy/service_settings.h"

using namespace berth::policy;

TEST_CASE("every audit rule has a unique id a fix and a reference", "[policy][audit]") {
  std::set<std::string> ids;
  for (const auto& r : rules()) {
    INFO(r.id);
    CHECK(ids.insert(r.id).second);
    CHECK(std::string(r.fix).size() > 10);
    CHECK(std::string(r.owasp).starts_with("RULE #"));
    CHECK(&rule(r.id) == &r);
  }
  CHECK_THROWS_AS(rule("no-such-rule"), berth::Error);
}

TEST_CASE("every x-berth allow entry names the rule that reports the setting", "[policy][audit]") {
  for (const auto& allow : allow_entries()) {
    INFO(allow);
    const Rule* r = rule_for_allow(allow);
    REQUIRE(r != nullptr);
    CHECK(std::string(r->allow) == allow);
  }
  CHECK(rule_for_allow("") == nullptr);
  CHECK(rule_for_allow("nonsense") == nullptr);
}

TEST_CASE("make_finding copies the rule's scaffolding", "[policy][audit]") {
  Finding f = make_finding(rule("privileged"), "web", berth::SourceMark{"compose.yaml", 3, 5}, "privileged: true",
                           "/privileged");
  CHECK(f.id == "privileged");
  CHECK(f.severity == Severity::High);
  CHECK(f.cis == "5.4");
  CHECK(f.owasp == "RULE #3");
  CHECK(f.service == "web");
  CHECK(f.mark.line == 3);
  CHECK(f.subject == "/privileged");
  CHECK_FALSE(f.fix.empty());
  CHECK_FALSE(f.mitigated);
}
