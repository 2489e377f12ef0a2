#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/loader/diagnostics.h"
#include "loader/normalize.h"

using nlohmann::json;

namespace {

// In load()'s order: the deprecated external.name is moved first.
json normalized(const char* text) {
  json doc = json::parse(text);
  berth::loader::Diagnostics diagnostics;
  berth::loader::relocate_external_names(doc, diagnostics, {});
  berth::loader::normalize(doc, {"proj"});
  return doc;
}

}  // namespace

TEST_CASE("normalize adds defaults compose adds", "[normalize]") {
  struct Case {
    const char* name;
    const char* input;
    const char* pointer;
    const char* expected;  // JSON, or "absent"
  };
  const Case cases[] = {
      {"service without networks joins default", R"({"services":{"a":{"image":"x"}}})", "/services/a/networks",
       R"({"default":null})"},
      {"implicit default network is created", R"({"services":{"a":{"image":"x"}}})", "/networks/default",
       R"({"name":"proj_default"})"},
      {"explicit networks: no default network", R"({"services":{"a":{"networks":{"n":null}}},"networks":{"n":{}}})",
       "/networks/default", "absent"},
      {"network_mode: no default network", R"({"services":{"a":{"network_mode":"host"}}})", "/networks", "absent"},
      {"network_mode: service has no networks", R"({"services":{"a":{"network_mode":"host"}}})",
       "/services/a/networks", "absent"},
      {"user-defined default network kept", R"({"services":{"a":{}},"networks":{"default":{"driver":"bridge"}}})",
       "/networks/default", R"({"driver":"bridge","name":"proj_default"})"},
      {"network named after project", R"({"networks":{"back":{}}})", "/networks/back/name", R"("proj_back")"},
      {"network explicit name kept", R"({"networks":{"back":{"name":"custom"}}})", "/networks/back/name", R"("custom")"},
      {"external network named by key", R"({"networks":{"ext":{"external":true}}})", "/networks/ext/name", R"("ext")"},
      {"deprecated external name", R"({"volumes":{"ext":{"external":{"name":"real"}}}})", "/volumes/ext",
       R"({"external":true,"name":"real"})"},
      {"null volume becomes named object", R"({"volumes":{"data":null}})", "/volumes/data", R"({"name":"proj_data"})"},
      {"secret named after project", R"({"secrets":{"s":{"file":"/a"}}})", "/secrets/s/name", R"("proj_s")"},
      {"config named after project", R"({"configs":{"c":{"file":"/a"}}})", "/configs/c/name", R"("proj_c")"},
      {"pull_policy if_not_present", R"({"services":{"a":{"pull_policy":"if_not_present"}}})",
       "/services/a/pull_policy", R"("missing")"},
      {"links imply dependencies", R"({"services":{"a":{"links":["db:database","cache"]}}})", "/services/a/depends_on",
       R"({"db":{"condition":"service_started","required":true,"restart":true},"cache":{"condition":"service_started","required":true,"restart":true}})"},
      {"volumes_from implies dependency", R"({"services":{"a":{"volumes_from":["data:ro","container:c1"]}}})",
       "/services/a/depends_on", R"({"data":{"condition":"service_started","required":true}})"},
      {"network_mode service implies dependency", R"({"services":{"a":{"network_mode":"service:vpn"}}})",
       "/services/a/depends_on/vpn", R"({"condition":"service_started","required":true,"restart":true})"},
      {"ipc and pid service imply dependency", R"({"services":{"a":{"ipc":"service:i","pid":"service:p"}}})",
       "/services/a/depends_on", R"({"i":{"condition":"service_started","required":true,"restart":true},"p":{"condition":"service_started","required":true,"restart":true}})"},
      {"explicit dependency wins over implicit", R"({"services":{"a":{"links":["db"],"depends_on":{"db":{"condition":"service_healthy","required":true}}}}})",
       "/services/a/depends_on/db", R"({"condition":"service_healthy","required":true})"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json doc = normalized(c.input);
    json::json_pointer pointer(c.pointer);
    if (std::string(c.expected) == "absent") {
      CHECK_FALSE(doc.contains(pointer));
    } else {
      REQUIRE(doc.contains(pointer));
      CHECK(doc[pointer] == json::parse(c.expected));
    }
  }
}

TEST_CASE("normalize is idempotent", "[normalize]") {
  json doc = normalized(R"({"services":{"a":{"links":["b"]},"b":{}},"volumes":{"v":{}}})");
  json again = doc;
  berth::loader::normalize(again, {"proj"});
  CHECK(again == doc);
}
