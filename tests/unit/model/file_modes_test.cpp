#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/model/file_modes.h"

using nlohmann::json;

TEST_CASE("file modes print as octal strings, as docker compose prints them", "[model][modes]") {
  json project = {{"services",
                   {{"web",
                     {{"secrets", {{{"source", "a"}, {"mode", 288}}, {{"source", "b"}}}},
                      {"configs", {{{"source", "c"}, {"mode", 420}}, {{"source", "d"}, {"mode", "0600"}}}},
                      {"build", {{"secrets", {{{"source", "e"}, {"mode", 256}}}}}},
                      {"volumes", {{{"type", "tmpfs"}, {"target", "/t"}, {"tmpfs", {{"mode", 1777}}}}}}}}}}};
  berth::model::file_modes_as_octal_strings(project);
  const json& web = project["services"]["web"];
  CHECK(web["secrets"][0]["mode"] == "0440");
  CHECK_FALSE(web["secrets"][1].contains("mode"));
  CHECK(web["configs"][0]["mode"] == "0644");
  CHECK(web["configs"][1]["mode"] == "0600");
  CHECK(web["build"]["secrets"][0]["mode"] == "0400");
  CHECK(web["volumes"][0]["tmpfs"]["mode"] == 1777);  // compose prints tmpfs modes as numbers
  json not_a_project = json::array();
  berth::model::file_modes_as_octal_strings(not_a_project);
  CHECK(not_a_project == json::array());
}
