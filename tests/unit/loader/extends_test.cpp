#include "loader/extends.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "loader/merge.h"
#include "loader/yaml_reader.h"

using berth::loader::Node;

namespace {

using Files = std::map<std::string, std::string>;  // absolute path -> YAML

berth::loader::DocumentReader fake_reader(const Files& files, std::vector<std::string>* reads = nullptr) {
  return [files, reads](const std::string& path) {
    if (reads) reads->push_back(path);
    auto it = files.find(path);
    if (it == files.end()) throw berth::Error(berth::ErrorKind::Config, path + ": no such file or directory");
    return berth::loader::read_yaml(it->second, path);
  };
}

// Resolves extends in files.at(main) and returns the resulting document.
Node resolve(const Files& files, const std::string& main = "/p/compose.yaml") {
  Node doc = berth::loader::read_yaml(files.at(main), main);
  berth::loader::resolve_extends(doc, main, fake_reader(files));
  return doc;
}

const Node& service(const Node& doc, const std::string& name) {
  const Node* s = doc.find("services")->find(name);
  REQUIRE(s);
  return *s;
}

struct ExtendsCase {
  const char* name;
  Files files;
  const char* service;
  const char* expected;  // the resolved service
};

}  // namespace

TEST_CASE("resolve_extends merges the extended service", "[loader][extends]") {
  const std::vector<ExtendsCase> cases = {
      {"same file, string form",
       {{"/p/compose.yaml",
         "services:\n  base: {image: busybox, environment: {A: '1'}}\n  web: {extends: base, environment: {B: '2'}}\n"}},
       "web", "{image: busybox, environment: {A: '1', B: '2'}}"},
      {"same file, mapping form",
       {{"/p/compose.yaml", "services:\n  base: {image: busybox}\n  web: {extends: {service: base}, user: app}\n"}},
       "web", "{image: busybox, user: app}"},
      {"chain a -> b -> c",
       {{"/p/compose.yaml",
         "services:\n  c: {image: c, ports: ['80:80']}\n  b: {extends: c, ports: ['81:81']}\n"
         "  a: {extends: b, command: [run]}\n"}},
       "a", "{image: c, ports: ['80:80', '81:81'], command: [run]}"},
      {"merge rules: command replaced, ports unique",
       {{"/p/compose.yaml",
         "services:\n  base: {image: x, command: [a, b], ports: ['80:80']}\n"
         "  web: {extends: base, command: [c], ports: [{target: 80, published: '80'}]}\n"}},
       "web", "{image: x, command: [c], ports: [{target: 80, published: '80'}]}"},
      {"!reset in the extending service",
       {{"/p/compose.yaml",
         "services:\n  base: {image: x, ports: ['80:80'], user: root}\n  web: {extends: base, ports: !reset []}\n"}},
       "web", "{image: x, user: root}"},
      {"!override in the extending service",
       {{"/p/compose.yaml",
         "services:\n  base: {image: x, environment: {A: '1'}}\n"
         "  web: {extends: base, environment: !override {B: '2'}}\n"}},
       "web", "{image: x, environment: {B: '2'}}"},
      {"other file, relative paths rewritten against its directory",
       {{"/p/compose.yaml", "services:\n  web: {extends: {service: app, file: common/app.yaml}}\n"},
        {"/p/common/app.yaml",
         "services:\n  app:\n    build: ./src\n    env_file: [app.env, {path: ../x.env}]\n"
         "    volumes: ['./data:/data', 'named:/n', '/abs:/abs', {type: bind, source: cfg, target: /cfg}]\n"}},
       "web",
       "{build: /p/common/src, env_file: [/p/common/app.env, {path: /p/x.env}], "
       "volumes: ['/p/common/data:/data', 'named:/n', '/abs:/abs', {type: bind, source: /p/common/cfg, target: /cfg}]}"},
      // compose-go (since its PR #558): the default context `.` is the project's.
      {"other file, build mapping without context gets the project's default",
       {{"/p/compose.yaml", "services:\n  web: {extends: {service: app, file: ../lib/app.yaml}}\n"},
        {"/lib/app.yaml", "services:\n  app: {build: {dockerfile: Dockerfile.dev}}\n"}},
       "web", "{build: {dockerfile: Dockerfile.dev}}"},
      {"remote build context left alone",
       {{"/p/compose.yaml", "services:\n  web: {extends: {service: app, file: lib/app.yaml}}\n"},
        {"/p/lib/app.yaml", "services:\n  app: {build: 'https://github.com/x/y.git#main'}\n"}},
       "web", "{build: 'https://github.com/x/y.git#main'}"},
      {"chain across files, each file's paths against its own directory",
       {{"/p/compose.yaml", "services:\n  web: {extends: {service: mid, file: a/mid.yaml}, env_file: local.env}\n"},
        {"/p/a/mid.yaml", "services:\n  mid: {extends: {service: root, file: ../b/root.yaml}, env_file: mid.env}\n"},
        {"/p/b/root.yaml", "services:\n  root: {image: x, env_file: root.env}\n"}},
       "web", "{image: x, env_file: [/p/b/root.env, /p/a/mid.env, local.env]}"},
      {"other file's service extends its own sibling",
       {{"/p/compose.yaml", "services:\n  web: {extends: {service: app, file: lib/app.yaml}}\n"},
        {"/p/lib/app.yaml", "services:\n  base: {image: x, build: .}\n  app: {extends: base, user: app}\n"}},
       "web", "{image: x, build: /p/lib, user: app}"},
      {"same name in both files",
       {{"/p/compose.yaml", "services:\n  web: {extends: {service: web, file: base.yaml}, user: me}\n"},
        {"/p/base.yaml", "services:\n  web: {image: x}\n"}},
       "web", "{image: x, user: me}"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Node doc = resolve(c.files);
    Node got = service(doc, c.service);
    CHECK(got.find("extends") == nullptr);
    // The extending service's own !reset stays as a marker for merging onto
    // earlier files (load() strips what is left at the end).
    berth::loader::strip_merge_tags(got);
    CHECK(berth::loader::same_content(got, berth::loader::read_yaml(c.expected, "expected.yaml")));
  }
}

TEST_CASE("resolve_extends errors name the position of extends", "[loader][extends]") {
  struct ErrorCase {
    const char* name;
    Files files;
    const char* message;
  };
  const std::vector<ErrorCase> cases = {
      {"cycle a -> b -> a",
       {{"/p/compose.yaml", "services:\n  a:\n    extends: b\n  b:\n    extends: a\n"}},
       "/p/compose.yaml:5:14: circular extends: a -> b -> a"},
      {"self extension",
       {{"/p/compose.yaml", "services:\n  a:\n    extends: a\n"}},
       "/p/compose.yaml:3:14: circular extends: a -> a"},
      {"cycle not starting at the first service",
       {{"/p/compose.yaml", "services:\n  a: {extends: b}\n  b: {extends: c}\n  c:\n    extends: {service: b}\n"}},
       "circular extends: b -> c -> b"},
      {"cycle across files",
       {{"/p/compose.yaml", "services:\n  a: {extends: {service: b, file: o.yaml}}\n"},
        {"/p/o.yaml", "services:\n  b: {extends: {service: a, file: compose.yaml}}\n"}},
       "circular extends: a -> b (/p/o.yaml) -> a"},
      {"unknown service",
       {{"/p/compose.yaml", "services:\n  web:\n    image: x\n    extends: nope\n"}},
       "/p/compose.yaml:4:14: cannot extend service \"nope\": no such service in /p/compose.yaml"},
      {"unknown service in other file",
       {{"/p/compose.yaml", "services:\n  web:\n    extends:\n      service: nope\n      file: o.yaml\n"},
        {"/p/o.yaml", "services:\n  x: {image: y}\n"}},
       "/p/compose.yaml:4:7: cannot extend service \"nope\": no such service in /p/o.yaml"},
      {"missing file",
       {{"/p/compose.yaml", "services:\n  web:\n    extends: {service: a, file: missing.yaml}\n"}},
       "/p/compose.yaml:3:14: cannot read extends file: /p/missing.yaml: no such file or directory"},
      {"extends is a list",
       {{"/p/compose.yaml", "services:\n  web:\n    extends: [a]\n"}},
       "/p/compose.yaml:3:14: extends must be a service name or a mapping with \"service\""},
      {"extends without service",
       {{"/p/compose.yaml", "services:\n  web:\n    extends: {file: o.yaml}\n"}},
       "/p/compose.yaml:3:14: extends requires \"service\""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    try {
      resolve(c.files);
      FAIL("no error");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Config);
      CHECK_THAT(e.what(), Catch::Contains(c.message));
    }
  }
}

TEST_CASE("resolve_extends reads each other file once", "[loader][extends]") {
  Files files = {{"/p/compose.yaml",
                  "services:\n  a: {extends: {service: x, file: o.yaml}}\n  b: {extends: {service: y, file: o.yaml}}\n"},
                 {"/p/o.yaml", "services:\n  x: {image: x}\n  y: {extends: x}\n"}};
  std::vector<std::string> reads;
  Node doc = berth::loader::read_yaml(files.at("/p/compose.yaml"), "/p/compose.yaml");
  berth::loader::resolve_extends(doc, "/p/compose.yaml", fake_reader(files, &reads));
  CHECK(reads == std::vector<std::string>{"/p/o.yaml"});
  CHECK(service(doc, "b").find("image")->text() == "x");
}

TEST_CASE("make_document_reader reads, merges keys and interpolates", "[loader][extends]") {
  const std::string dir = BERTH_TEST_DATA_DIR "/loader/merge/extends";
  berth::loader::Diagnostics diagnostics;
  auto read = berth::loader::make_document_reader({{"TAG", "1.2"}}, diagnostics);
  Node doc = read(dir + "/compose.yaml");
  berth::loader::resolve_extends(doc, dir + "/compose.yaml", read);
  const Node& web = service(doc, "web");
  CHECK(web.find("image")->text() == "busybox:1.2");
  CHECK(web.find("user")->text() == "app");
  CHECK(web.find("restart")->text() == "always");
  REQUIRE(web.find("env_file"));
  CHECK(web.find("env_file")->text() == dir + "/common/common.env");
  CHECK(web.find("image")->mark().file == dir + "/common/base.yaml");
}

TEST_CASE("resolve_extends inherits depends_on, links and volumes_from", "[loader][extends]") {
  Files files = {{"/p/compose.yaml",
                  "services:\n  db: {image: db}\n"
                  "  base: {image: x, depends_on: [db], links: [db], volumes_from: [db]}\n"
                  "  web: {extends: base, depends_on: {cache: {condition: service_healthy}}}\n"
                  "  cache: {image: c}\n"}};
  Node doc = resolve(files);
  CHECK(berth::loader::same_content(
      service(doc, "web"),
      berth::loader::read_yaml("{image: x, depends_on: {db: {condition: service_started}, "
                               "cache: {condition: service_healthy}}, links: [db], volumes_from: [db]}",
                               "expected.yaml")));
}

TEST_CASE("resolve_extends refuses absurdly long chains instead of overflowing", "[loader][extends]") {
  std::string yaml = "services:\n  s0: {image: x}\n";
  for (int i = 1; i <= 2000; ++i)
    yaml += "  s" + std::to_string(i) + ": {extends: s" + std::to_string(i - 1) + "}\n";
  Files files = {{"/p/compose.yaml", yaml}};
  CHECK_THROWS_WITH(resolve(files), Catch::Contains("extends chain longer than 256 services"));

  std::string top_down = "services:\n";
  for (int i = 2000; i >= 1; --i)
    top_down += "  s" + std::to_string(i) + ": {extends: s" + std::to_string(i - 1) + "}\n";
  top_down += "  s0: {image: x}\n";
  CHECK_THROWS_WITH(resolve({{"/p/compose.yaml", top_down}}),
                    Catch::Contains("extends chain longer than 256 services"));

  std::string ok = "services:\n  s0: {image: x}\n";
  for (int i = 1; i <= 200; ++i)
    ok += "  s" + std::to_string(i) + ": {extends: s" + std::to_string(i - 1) + "}\n";
  Node doc = resolve({{"/p/compose.yaml", ok}});
  CHECK(service(doc, "s200").find("image")->text() == "x");
}

TEST_CASE("absolutize_service_paths rewrites local paths only", "[loader][extends]") {
  struct PathCase {
    const char* name;
    const char* service;
    const char* expected;
  };
  const std::vector<PathCase> cases = {
      {"build string", "{build: ../ctx}", "{build: /lib/ctx}"},
      {"build remote", "{build: 'git@github.com:x/y.git'}", "{build: 'git@github.com:x/y.git'}"},
      {"build mapping keeps dockerfile relative to context",
       "{build: {context: app, dockerfile: Dockerfile.dev}}",
       "{build: {context: /lib/a/app, dockerfile: Dockerfile.dev}}"},
      {"additional_contexts mapping",
       "{build: {context: ., additional_contexts: {src: ./src, img: 'docker-image://alpine', svc: 'service:base'}}}",
       "{build: {context: /lib/a, additional_contexts: {src: /lib/a/src, img: 'docker-image://alpine', svc: 'service:base'}}}"},
      {"additional_contexts list",
       "{build: {context: /abs, additional_contexts: [src=./src, 'web=https://x/y.git']}}",
       "{build: {context: /abs, additional_contexts: [src=/lib/a/src, 'web=https://x/y.git']}}"},
      {"env_file and label_file", "{env_file: [a.env, {path: b.env, required: false}], label_file: l.txt}",
       "{env_file: [/lib/a/a.env, {path: /lib/a/b.env, required: false}], label_file: /lib/a/l.txt}"},
      {"short volumes", "{volumes: ['.:/src', '../up:/up:ro', '~/home:/h', 'named:/n', '/anon']}",
       "{volumes: ['/lib/a:/src', '/lib/up:/up:ro', '~/home:/h', 'named:/n', '/anon']}"},
      {"long volumes", "{volumes: [{type: bind, source: ./x, target: /x}, {type: volume, source: v, target: /v}]}",
       "{volumes: [{type: bind, source: /lib/a/x, target: /x}, {type: volume, source: v, target: /v}]}"},
      {"develop.watch", "{develop: {watch: [{path: ./src, action: sync, target: /app}]}}",
       "{develop: {watch: [{path: /lib/a/src, action: sync, target: /app}]}}"},
      {"extends.file", "{extends: {service: s, file: base.yaml}}", "{extends: {service: s, file: /lib/a/base.yaml}}"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Node service = berth::loader::read_yaml(c.service, "s.yaml");
    berth::loader::absolutize_service_paths(service, "/lib/a");
    Node expected = berth::loader::read_yaml(c.expected, "e.yaml");
    CHECK(berth::loader::same_content(service, expected));
  }
}

TEST_CASE("absolutize_document_paths covers services, secrets and configs", "[loader][extends]") {
  Node doc = berth::loader::read_yaml(
      "services: {a: {build: .}}\nsecrets: {s: {file: ./s.txt}, e: {environment: E}}\nconfigs: {c: {file: c.conf}}\n",
      "d.yaml");
  berth::loader::absolutize_document_paths(doc, "/proj");
  CHECK(berth::loader::same_content(
      doc, berth::loader::read_yaml("services: {a: {build: /proj}}\nsecrets: {s: {file: /proj/s.txt}, "
                                    "e: {environment: E}}\nconfigs: {c: {file: /proj/c.conf}}\n",
                                    "e.yaml")));
}
