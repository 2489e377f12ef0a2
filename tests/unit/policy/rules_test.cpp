#include "policy/rules.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

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
    CHECK(std::string(r.what).size() > 5);
    CHECK(std::string(r.cis).empty() == std::string(r.cis_title).empty());
  }
  CHECK_THROWS_AS(rule("no-such-rule"), berth::Error);
}

TEST_CASE("one CIS item, one title", "[policy][audit]") {
  std::map<std::string, std::string> titles;
  for (const auto& r : rules()) {
    if (!*r.cis) continue;
    INFO(r.id << " " << r.cis);
    auto [it, fresh] = titles.emplace(r.cis, r.cis_title);
    CHECK(it->second == r.cis_title);
    CHECK(std::string(r.cis_title).starts_with("Ensure"));
  }
  // v1.6.0's numbering, where 5.1 is "Ensure swarm mode is not Enabled".
  CHECK(titles.at("5.5") == "Ensure that privileged containers are not used");
  CHECK(titles.at("5.32") == "Ensure that the Docker socket is not mounted inside any containers");
  CHECK(titles.at("5.2") == "Ensure that, if applicable, an AppArmor Profile is enabled");
}

// The README's table of audit rules says what the rule table says: one row
// per rule, with its id, what it reports, severity, CIS item and OWASP rule.
TEST_CASE("the README's audit table matches the rule table", "[policy][audit]") {
  std::ifstream readme(std::string(BERTH_TEST_DATA_DIR) + "/../../README.md");
  REQUIRE(readme);
  std::map<std::string, std::vector<std::string>> rows;  // id -> cells
  bool in_table = false;
  for (std::string line; std::getline(readme, line);) {
    if (line.starts_with("| id | finding | severity | CIS | OWASP |")) {
      in_table = true;
      continue;
    }
    if (!in_table || line.starts_with("|---")) continue;
    if (!line.starts_with("| `")) break;
    std::vector<std::string> cells;
    std::stringstream cut(line.substr(1));
    for (std::string cell; std::getline(cut, cell, '|');) {
      const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    const std::string id = cells[0].substr(1, cells[0].size() - 2);
    CHECK(rows.emplace(id, cells).second);
  }
  CHECK(rows.size() == rules().size());
  for (const auto& r : rules()) {
    INFO(r.id);
    REQUIRE(rows.count(r.id));
    const auto& cells = rows.at(r.id);
    CHECK(cells[1] == r.what);
    CHECK(cells[2] == to_string(r.severity));
    CHECK(cells[3] == r.cis);
    CHECK(cells[4] == r.owasp);
  }
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
  CHECK(f.cis == "5.5");
  CHECK(f.cis_title == "Ensure that privileged containers are not used");
  CHECK(f.owasp == "RULE #3");
  CHECK(f.service == "web");
  CHECK(f.mark.line == 3);
  CHECK(f.subject == "/privileged");
  CHECK_FALSE(f.fix.empty());
  CHECK_FALSE(f.mitigated);
}
