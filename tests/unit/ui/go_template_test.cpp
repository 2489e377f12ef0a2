#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/ui/go_template.h"
#include "berth/util/error.h"

using berth::ui::GoTemplate;

namespace {
const std::vector<std::string> fields = {"Name", "CPUPerc", "MemUsage"};
const nlohmann::ordered_json row = {{"Name", "web-1"}, {"CPUPerc", "0.25%"}, {"MemUsage", "1.5MiB / 1GiB"}};
const nlohmann::ordered_json header = {{"Name", "NAME"}, {"CPUPerc", "CPU %"}, {"MemUsage", "MEM USAGE / LIMIT"}};
}  // namespace

TEST_CASE("go template: fields and escapes", "[ui][go_template]") {
  CHECK(GoTemplate("{{.Name}}: {{.CPUPerc}}", fields).render(row) == "web-1: 0.25%");
  CHECK(GoTemplate("{{.Name}}\\t{{ .CPUPerc }}\\n", fields).render(row) == "web-1\t0.25%\n");
  CHECK(GoTemplate("literal only", fields).render(row) == "literal only");
  CHECK(GoTemplate("{{upper .Name}} {{lower .CPUPerc}} {{title .Name}}", fields).render(row) == "WEB-1 0.25% Web-1");
  CHECK(GoTemplate("{{json .Name}}", fields).render(row) == "\"web-1\"");
  CHECK(GoTemplate("{{json .}}", fields).render(row) == row.dump());
  CHECK(GoTemplate("a {{- .Name -}}  b", fields).render(row) == "aweb-1b");
  CHECK_FALSE(GoTemplate("{{.Name}}", fields).table());
  CHECK(GoTemplate("table {{.Name}}", fields).table());
}

TEST_CASE("go template: what is not understood is named", "[ui][go_template]") {
  CHECK_THROWS_WITH(GoTemplate("{{.Nope}}", fields), Catch::Contains(".Nope") && Catch::Contains(".CPUPerc"));
  CHECK_THROWS_WITH(GoTemplate("{{if .Name}}x{{end}}", fields), Catch::Contains("{{if .Name}}"));
  CHECK_THROWS_WITH(GoTemplate("{{.Name | printf \"%s\"}}", fields), Catch::Contains("unsupported"));
  CHECK_THROWS_WITH(GoTemplate("{{.Name.Sub}}", fields), Catch::Contains("unsupported"));
  CHECK_THROWS_WITH(GoTemplate("{{.Name", fields), Catch::Contains("without"));
  CHECK_THROWS_AS(GoTemplate("{{range .}}{{end}}", fields), berth::Error);
}

TEST_CASE("go template: tables are aligned as docker's tabwriter", "[ui][go_template]") {
  GoTemplate tmpl("table {{.Name}}\\t{{.CPUPerc}}\\t{{.MemUsage}}", fields);
  nlohmann::ordered_json long_name = row;
  long_name["Name"] = "a-rather-long-name-1";
  auto text = berth::ui::render_rows(tmpl, header, {row, long_name});
  CHECK(text ==
        "NAME                   CPU %     MEM USAGE / LIMIT\n"
        "web-1                  0.25%     1.5MiB / 1GiB\n"
        "a-rather-long-name-1   0.25%     1.5MiB / 1GiB\n");
  // Without "table": one line per row, no header.
  CHECK(berth::ui::render_rows(GoTemplate("{{.Name}}", fields), header, {row, long_name}) ==
        "web-1\na-rather-long-name-1\n");
}
