// load(): the order of the stages across files (extends per file, tags of a
// lone file, schema errors in source order) and compose-go's migration of
// `external: {name: x}`.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Compose files in a fresh temporary directory, removed with it; loaded in
// the order given (the first is the base file).
using Files = std::vector<std::pair<std::string, std::string>>;  // name, content

struct TempProject {
  fs::path dir;
  std::vector<std::string> files;

  explicit TempProject(const Files& contents) {
    static int serial = 0;
    dir = fs::temp_directory_path() /
          ("berth-load-order-" + std::to_string(::getpid()) + "-" + std::to_string(++serial));
    fs::create_directories(dir);
    for (const auto& [name, text] : contents) {
      std::ofstream(dir / name) << text;
      if (name.ends_with(".yaml")) files.push_back((dir / name).string());
    }
  }
  ~TempProject() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }

  berth::loader::ProjectOptions options() const {
    berth::loader::ProjectOptions options;
    options.files = files;
    options.working_dir = dir.string();
    options.project_name = "order";
    return options;
  }

  json load(berth::loader::Diagnostics& diagnostics) const {
    return berth::loader::load(options(), diagnostics).to_json();
  }
};

struct LayerCase {
  const char* name;
  const char* base;      // compose.yaml
  const char* override;  // override.yaml ("" = none)
  json expected_web;     // services.web without the keys normalize adds
};

json without_defaults(json service) {
  service.erase("networks");
  return service;
}

}  // namespace

TEST_CASE("load: tags and extends across files follow compose-go", "[load][order]") {
  const std::vector<LayerCase> cases = {
      {"!reset in a lone file is dropped, not validated",
       "services:\n  web:\n    image: x\n    user: !reset null\n", "",
       {{"image", "x"}}},
      {"!override in a lone file keeps the value",
       "services:\n  web:\n    image: x\n    command: !override [a]\n", "",
       {{"image", "x"}, {"command", {"a"}}}},
      {"!reset in a lone file next to extends",
       "services:\n  base: {image: x, user: root}\n  web:\n    extends: base\n    user: !reset null\n", "",
       {{"image", "x"}}},
      {"an override file's extends resolves in that file",
       "services:\n  web: {image: x, hostname: h}\n",
       "services:\n  common: {image: y, user: me}\n  web: {extends: common}\n",
       {{"image", "y"}, {"user", "me"}, {"hostname", "h"}}},
      {"an override file's !reset next to extends removes the earlier file's value too",
       "services:\n  web: {image: x, user: root, hostname: h}\n",
       "services:\n  common: {image: y}\n  web:\n    extends: common\n    user: !reset null\n",
       {{"image", "y"}, {"hostname", "h"}}},
      {"an override file's !override next to extends replaces the earlier file's value",
       "services:\n  web: {image: x, environment: {A: '1'}}\n",
       "services:\n  common: {image: y, environment: {B: '2'}}\n"
       "  web:\n    extends: common\n    environment: !override {C: '3'}\n",
       {{"image", "y"}, {"environment", {{"C", "3"}}}}},
      {"the base file's extends, then the override merges",
       "services:\n  common: {image: y, environment: {B: '2'}}\n  web: {extends: common}\n",
       "services:\n  web: {environment: {C: '3'}}\n",
       {{"image", "y"}, {"environment", {{"B", "2"}, {"C", "3"}}}}},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Files files = {{"compose.yaml", c.base}};
    if (*c.override) files.emplace_back("override.yaml", c.override);
    TempProject project(files);
    berth::loader::Diagnostics diagnostics;
    json doc = project.load(diagnostics);
    CHECK(without_defaults(doc["services"]["web"]) == c.expected_web);
  }
}

TEST_CASE("load: a service cannot extend one of another -f file", "[load][order]") {
  TempProject project(Files{{"compose.yaml", "services:\n  base: {image: x}\n"},
                       {"override.yaml", "services:\n  web:\n    extends: base\n"}});
  berth::loader::Diagnostics diagnostics;
  CHECK_THROWS_WITH(project.load(diagnostics),
                    Catch::Contains(project.files[1] + ":3:14: cannot extend service \"base\": no such service in " +
                                    project.files[1]));
}

TEST_CASE("load: each YAML document of a file is a layer of its own, as in compose-go", "[load][order]") {
  SECTION("a later document overrides an earlier one after that one's extends") {
    TempProject project(Files{{"compose.yaml",
                               "services:\n  common: {image: y, user: me}\n  web: {extends: common}\n"
                               "---\nservices:\n  web: {hostname: h}\n"}});
    berth::loader::Diagnostics diagnostics;
    json web = without_defaults(project.load(diagnostics)["services"]["web"]);
    CHECK(web == json{{"image", "y"}, {"user", "me"}, {"hostname", "h"}});
  }
  SECTION("a service extends one of its own document") {
    TempProject project(Files{{"compose.yaml",
                               "services:\n  base: {image: x}\n---\n"
                               "services:\n  common: {image: y}\n  web: {extends: common}\n"}});
    berth::loader::Diagnostics diagnostics;
    CHECK(project.load(diagnostics)["services"]["web"]["image"] == "y");
  }
  SECTION("not one of an earlier document") {
    TempProject project(Files{{"compose.yaml", "services:\n  base: {image: x}\n---\nservices:\n  web:\n    extends: base\n"}});
    berth::loader::Diagnostics diagnostics;
    CHECK_THROWS_WITH(project.load(diagnostics),
                      Catch::Contains(":6:14: cannot extend service \"base\": no such service in " + project.files[0]));
  }
}

TEST_CASE("load: the schema error reported is the first in the files", "[load][order]") {
  struct OrderCase {
    const char* name;
    const char* base;
    const char* override;
    std::string expected;  // after the directory
  };
  const std::vector<OrderCase> cases = {
      {"line order, not key order", "services:\n  zed:\n    image: x\n    ports: 80\n  abc:\n    image: x\n    user: [1]\n",
       "", "/compose.yaml:4:12: services.zed.ports"},
      {"columns on one line", "services:\n  b: {image: x, user: [1], tty: [2]}\n", "", "/compose.yaml:2:23: services.b.user"},
      {"base file before override file", "services:\n  zed: {image: x, user: [1]}\n",
       "services:\n  abc: {image: x, tty: [2]}\n", "/compose.yaml:2:25: services.zed.user"},
      {"an unknown key points at the key", "services:\n  b:\n    image: x\n    imagee: y\n  a:\n    image: x\n    tty: [1]\n",
       "", "/compose.yaml:4:5: services.b Additional property imagee is not allowed (did you mean 'image'?)"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Files files = {{"compose.yaml", c.base}};
    if (*c.override) files.emplace_back("override.yaml", c.override);
    TempProject project(files);
    berth::loader::Diagnostics diagnostics;
    CHECK_THROWS_WITH(project.load(diagnostics), Catch::Contains(project.dir.string() + c.expected));
  }
}

TEST_CASE("load: attributes of older formats are refused with their replacement", "[load][order]") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"log_driver: syslog", "use logging.driver"},
      {"log_opt: {a: b}", "use logging.options"},
      {"dockerfile: Dockerfile.dev", "use build.dockerfile"},
      {"net: host", "use network_mode"},
  };
  for (const auto& [attribute, hint] : cases) {
    INFO(attribute);
    TempProject project(Files{{"compose.yaml", std::string("services:\n  web:\n    image: x\n    ") + attribute + "\n"}});
    berth::loader::Diagnostics diagnostics;
    CHECK_THROWS_WITH(project.load(diagnostics),
                      Catch::Contains(":4:5: services.web Additional property") && Catch::Contains(hint));
  }
}

TEST_CASE("load: external.name becomes name and external: true, with compose's warning", "[load][order]") {
  SECTION("each kind of resource") {
    TempProject project(Files{{"compose.yaml",
                          "services:\n  web: {image: x, networks: [n], volumes: ['v:/v'], secrets: [s], configs: [c]}\n"
                          "networks:\n  n:\n    external:\n      name: real-net\n"
                          "volumes:\n  v: {external: {name: real-vol}}\n"
                          "secrets:\n  s: {external: {name: real-secret}}\n"
                          "configs:\n  c: {external: {}}\n"}});
    berth::loader::Diagnostics diagnostics;
    json doc = project.load(diagnostics);
    CHECK(doc["networks"]["n"] == json{{"name", "real-net"}, {"external", true}});
    CHECK(doc["volumes"]["v"] == json{{"name", "real-vol"}, {"external", true}});
    CHECK(doc["secrets"]["s"] == json{{"name", "real-secret"}, {"external", true}});
    CHECK(doc["configs"]["c"] == json{{"name", "c"}, {"external", true}});
    CHECK(diagnostics.contains("networks.n: external.name is deprecated. Please set name and external: true"));
    CHECK(diagnostics.contains("volumes.v: external.name is deprecated"));
    CHECK(diagnostics.contains("secrets.s: external.name is deprecated"));
    CHECK_FALSE(diagnostics.contains("configs.c"));
    bool positioned = false;
    for (const auto& w : diagnostics.warnings())
      if (w.message.starts_with("networks.n:")) positioned = w.mark.line == 6;
    CHECK(positioned);
  }
  SECTION("the same name twice is accepted") {
    TempProject project(Files{{"compose.yaml", "services:\n  web: {image: x, volumes: ['v:/v']}\n"
                                          "volumes:\n  v: {name: same, external: {name: same}}\n"}});
    berth::loader::Diagnostics diagnostics;
    CHECK(project.load(diagnostics)["volumes"]["v"] == json{{"name", "same"}, {"external", true}});
  }
  SECTION("a different name is an error") {
    TempProject project(Files{{"compose.yaml", "services:\n  web: {image: x, volumes: ['v:/v']}\n"
                                          "volumes:\n  v: {name: mine, external: {name: theirs}}\n"}});
    berth::loader::Diagnostics diagnostics;
    CHECK_THROWS_WITH(project.load(diagnostics),
                      Catch::Contains(":4:36: volumes.v: name and external.name conflict; only use name"));
  }
}
