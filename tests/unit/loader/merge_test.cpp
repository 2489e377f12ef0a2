#include "loader/merge.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "berth/loader/diagnostics.h"
#include "loader/extends.h"
#include "loader/include.h"
#include "loader/merge_keys.h"
#include "loader/yaml_reader.h"

using berth::loader::Node;

namespace {

// yaml-cpp is enough to build test trees; production reads through front's
// event-based reader.
Node from_yaml(const YAML::Node& y, const std::string& file) {
  berth::SourceMark mark{file, y.Mark().line + 1, y.Mark().column + 1};
  Node n;
  switch (y.Type()) {
    case YAML::NodeType::Scalar:
      n = Node::scalar(y.Scalar(), y.Tag() == "?" ? Node::Style::Plain : Node::Style::Quoted, mark);
      break;
    case YAML::NodeType::Sequence:
      n = Node::sequence(mark);
      for (const auto& item : y) n.push_back(from_yaml(item, file));
      break;
    case YAML::NodeType::Map:
      n = Node::mapping(mark);
      for (const auto& kv : y)
        n.set(kv.first.Scalar(), from_yaml(kv.second, file),
              {file, kv.first.Mark().line + 1, kv.first.Mark().column + 1});
      break;
    default: n = Node::null(mark);
  }
  if (y.Tag() == "!reset") n.set_tag(Node::Tag::Reset);
  if (y.Tag() == "!override") n.set_tag(Node::Tag::Override);
  return n;
}

Node parse(const std::string& text, const std::string& file = "test.yaml") {
  return from_yaml(YAML::Load(text), file);
}

// A readable dump for failure messages.
std::string dump(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::Null: return "null";
    case Node::Kind::Scalar: return "'" + n.text() + "'";
    case Node::Kind::Sequence: {
      std::string out = "[";
      for (const auto& item : n.items()) out += (out.size() > 1 ? ", " : "") + dump(item);
      return out + "]";
    }
    case Node::Kind::Mapping: {
      std::string out = "{";
      for (const auto& e : n.entries())
        out += (out.size() > 1 ? ", " : "") + e.key + ": " + dump(e.value);
      return out + "}";
    }
  }
  return "?";
}

struct MergeCase {
  const char* name;
  const char* base;
  const char* overlay;
  const char* expected;
};

// Each case is a service attribute family: base service, override service,
// merged service.
const std::vector<MergeCase> service_cases = {
    // scalars and plain mappings
    {"scalar replaced", "image: a", "image: b", "image: b"},
    {"new key added", "image: a", "restart: always", "{image: a, restart: always}"},
    {"nested mapping merged", "deploy: {resources: {limits: {cpus: '1'}}}",
     "deploy: {resources: {limits: {memory: 1g}}}",
     "deploy: {resources: {limits: {cpus: '1', memory: 1g}}}"},
    {"null override keeps base", "image: a\nenvironment: {A: '1'}", "environment:",
     "image: a\nenvironment: {A: '1'}"},
    {"x- extension replaced not merged", "x-meta: {a: 1, b: 2}", "x-meta: {c: 3}", "x-meta: {c: 3}"},
    // shell commands replaced
    {"command list replaced", "command: [echo, foo]", "command: [echo, bar]", "command: [echo, bar]"},
    {"command string over list", "command: [echo, foo]", "command: echo bar", "command: echo bar"},
    {"entrypoint replaced", "entrypoint: [/a]", "entrypoint: [/b, -x]", "entrypoint: [/b, -x]"},
    {"healthcheck test replaced, rest merged", "healthcheck: {test: [CMD, a], interval: 5s}",
     "healthcheck: {test: [CMD, b]}", "healthcheck: {test: [CMD, b], interval: 5s}"},
    // plain sequences append
    {"post_start appended", "post_start: [{command: a}]", "post_start: [{command: b}]",
     "post_start: [{command: a}, {command: b}]"},
    // key/value families
    {"environment map+map", "environment: {A: '1', B: '2'}", "environment: {B: '3', C: '4'}",
     "environment: {A: '1', B: '3', C: '4'}"},
    {"environment list+list", "environment: [A=1, B=2]", "environment: [B=3, C=4]",
     "environment: [A=1, B=3, C=4]"},
    {"environment list+map", "environment: [A=1, B=2]", "environment: {B: '3'}",
     "environment: {A: '1', B: '3'}"},
    {"environment map+list", "environment: {A: '1'}", "environment: [A=9, D]",
     "environment: {A: '9', D: null}"},
    {"environment value with =", "environment: [URL=a=b]", "environment: {X: y}",
     "environment: {URL: a=b, X: y}"},
    {"labels list+map", "labels: [com.a=1]", "labels: {com.a: '2', com.b: '3'}",
     "labels: {com.a: '2', com.b: '3'}"},
    {"annotations merged", "annotations: {a: '1'}", "annotations: [b=2]", "annotations: {a: '1', b: '2'}"},
    {"sysctls merged", "sysctls: [net.core.somaxconn=1024]", "sysctls: {net.core.somaxconn: 2048}",
     "sysctls: {net.core.somaxconn: '2048'}"},
    {"build args merged", "build: {context: ., args: [A=1]}", "build: {args: {B: '2'}}",
     "build: {context: ., args: {A: '1', B: '2'}}"},
    {"deploy labels merged", "deploy: {labels: {a: '1'}}", "deploy: {labels: [a=2]}",
     "deploy: {labels: {a: '2'}}"},
    {"extra_hosts by host", "extra_hosts: ['db:10.0.0.1', 'cache=10.0.0.2']",
     "extra_hosts: {db: 10.0.0.9}", "extra_hosts: {db: 10.0.0.9, cache: 10.0.0.2}"},
    {"extra_hosts list+list", "extra_hosts: ['db:10.0.0.1']", "extra_hosts: ['db=10.0.0.1', 'x:1.2.3.4']",
     "extra_hosts: ['db=10.0.0.1', 'x:1.2.3.4']"},
    // ports
    {"ports distinct appended", "ports: ['8080:80']", "ports: ['9090:90']", "ports: ['8080:80', '9090:90']"},
    {"ports same short deduplicated", "ports: ['8080:80']", "ports: ['8080:80']", "ports: ['8080:80']"},
    {"ports short vs long same key", "ports: ['8080:80']", "ports: [{target: 80, published: '8080'}]",
     "ports: [{target: 80, published: '8080'}]"},
    {"ports 0.0.0.0 equals no ip", "ports: ['0.0.0.0:8080:80/tcp']", "ports: ['8080:80']",
     "ports: ['8080:80']"},
    {"ports udp differs from tcp", "ports: ['53:53']", "ports: ['53:53/udp']", "ports: ['53:53', '53:53/udp']"},
    {"ports host ip differs", "ports: ['127.0.0.1:80:80']", "ports: ['80:80']",
     "ports: ['127.0.0.1:80:80', '80:80']"},
    // volumes
    {"volumes by target replaced in place", "volumes: ['./a:/data', 'logs:/logs']",
     "volumes: ['./b:/data:ro']", "volumes: ['./b:/data:ro', 'logs:/logs']"},
    {"volumes short vs long", "volumes: ['./a:/data']",
     "volumes: [{type: volume, source: v, target: /data}]",
     "volumes: [{type: volume, source: v, target: /data}]"},
    {"volumes anonymous by path", "volumes: ['/cache']", "volumes: ['/cache', '/tmp/x']",
     "volumes: ['/cache', '/tmp/x']"},
    {"devices by container path", "devices: ['/dev/a:/dev/x']", "devices: ['/dev/b:/dev/x:r', '/dev/c']",
     "devices: ['/dev/b:/dev/x:r', '/dev/c']"},
    // secrets and configs
    {"secrets by target", "secrets: [s1, {source: s2, target: t}]",
     "secrets: [{source: other, target: /run/secrets/s1}, {source: s3, target: t}]",
     "secrets: [{source: other, target: /run/secrets/s1}, {source: s3, target: t}]"},
    {"configs by target", "configs: [c1]", "configs: [{source: c1, target: /c1, mode: 0440}, c2]",
     "configs: [{source: c1, target: /c1, mode: 0440}, c2]"},
    // string-or-list families
    {"dns string+list", "dns: 1.1.1.1", "dns: [8.8.8.8, 1.1.1.1]", "dns: [1.1.1.1, 8.8.8.8]"},
    {"dns_search unique", "dns_search: [a.example]", "dns_search: a.example", "dns_search: [a.example]"},
    {"dns_opt unique", "dns_opt: [use-vc]", "dns_opt: [no-tld-query, use-vc]", "dns_opt: [use-vc, no-tld-query]"},
    {"tmpfs by path", "tmpfs: /run", "tmpfs: ['/run:size=64m', /tmp]", "tmpfs: ['/run:size=64m', /tmp]"},
    {"expose unique", "expose: ['3000', 4000]", "expose: [3000, '5000']", "expose: ['3000', 4000, '5000']"},
    {"cap_add unique", "cap_add: [NET_ADMIN]", "cap_add: [NET_ADMIN, SYS_TIME]", "cap_add: [NET_ADMIN, SYS_TIME]"},
    {"cap_drop unique", "cap_drop: [ALL]", "cap_drop: [ALL]", "cap_drop: [ALL]"},
    {"security_opt unique", "security_opt: ['no-new-privileges:true']",
     "security_opt: ['no-new-privileges:true', 'label:disable']",
     "security_opt: ['no-new-privileges:true', 'label:disable']"},
    {"profiles unique", "profiles: [dev]", "profiles: [debug, dev]", "profiles: [dev, debug]"},
    {"links unique", "links: [db]", "links: [db, 'cache:c']", "links: [db, 'cache:c']"},
    {"external_links unique", "external_links: [x]", "external_links: [x, y]", "external_links: [x, y]"},
    {"env_file string+list by path", "env_file: a.env", "env_file: [{path: a.env, required: false}, b.env]",
     "env_file: [{path: a.env, required: false}, b.env]"},
    // depends_on and networks
    {"depends_on list+list", "depends_on: [db]", "depends_on: [cache, db]", "depends_on: [db, cache]"},
    {"depends_on list+map", "depends_on: [db]", "depends_on: {cache: {condition: service_healthy}}",
     "depends_on: {db: {condition: service_started}, cache: {condition: service_healthy}}"},
    {"depends_on map+list keeps details", "depends_on: {db: {condition: service_healthy}}",
     "depends_on: [db, cache]",
     "depends_on: {db: {condition: service_healthy}, cache: {condition: service_started}}"},
    {"depends_on map+map merged", "depends_on: {db: {condition: service_healthy}}",
     "depends_on: {db: {restart: true}}", "depends_on: {db: {condition: service_healthy, restart: true}}"},
    {"networks list+list", "networks: [front]", "networks: [back, front]", "networks: [front, back]"},
    {"networks list+map", "networks: [front]", "networks: {back: {aliases: [b]}}",
     "networks: {front: null, back: {aliases: [b]}}"},
    {"networks map+map aliases unique", "networks: {front: {aliases: [a], ipv4_address: 10.0.0.2}}",
     "networks: {front: {aliases: [a, b]}}",
     "networks: {front: {aliases: [a, b], ipv4_address: 10.0.0.2}}"},
    // build, logging, ulimits
    {"build string+map", "build: ./app", "build: {dockerfile: Dockerfile.dev}",
     "build: {context: ./app, dockerfile: Dockerfile.dev}"},
    {"build map+string", "build: {context: ./a, target: dev}", "build: ./b",
     "build: {context: ./b, target: dev}"},
    {"build string+string", "build: ./a", "build: ./b", "build: ./b"},
    {"logging same driver merges options", "logging: {driver: json-file, options: {max-size: 1m}}",
     "logging: {options: {max-file: '3'}}",
     "logging: {driver: json-file, options: {max-size: 1m, max-file: '3'}}"},
    {"logging other driver replaces", "logging: {driver: json-file, options: {max-size: 1m}}",
     "logging: {driver: syslog, options: {tag: x}}", "logging: {driver: syslog, options: {tag: x}}"},
    {"ulimits by key", "ulimits: {nproc: 65535, nofile: {soft: 1, hard: 2}}",
     "ulimits: {nofile: {soft: 3}}", "ulimits: {nproc: 65535, nofile: {soft: 3, hard: 2}}"},
    {"ulimits number replaces mapping", "ulimits: {nofile: {soft: 1, hard: 2}}", "ulimits: {nofile: 5}",
     "ulimits: {nofile: 5}"},
    // !reset and !override
    {"reset removes attribute", "image: a\nports: ['80:80']", "ports: !reset []", "image: a"},
    {"reset null removes scalar", "image: a\nuser: root", "user: !reset null", "image: a"},
    {"reset one environment key", "environment: {A: '1', B: '2'}", "environment: {A: !reset null}",
     "environment: {B: '2'}"},
    {"override replaces mapping", "environment: {A: '1', B: '2'}", "environment: !override {C: '3'}",
     "environment: {C: '3'}"},
    {"override replaces sequence", "ports: ['80:80', '443:443']", "ports: !override ['8080:80']",
     "ports: ['8080:80']"},
    {"override on nested mapping", "deploy: {resources: {limits: {cpus: '1', memory: 1g}}}",
     "deploy: {resources: !override {reservations: {cpus: '0.5'}}}",
     "deploy: {resources: {reservations: {cpus: '0.5'}}}"},
    {"reset inside new value is dropped", "image: a", "environment: {A: '1', B: !reset null}",
     "image: a\nenvironment: {A: '1'}"},
};

}  // namespace

TEST_CASE("merge_services: compose-spec rules per attribute family", "[loader][merge]") {
  REQUIRE(service_cases.size() >= 40);
  for (const auto& c : service_cases) {
    INFO(c.name);
    Node merged = berth::loader::merge_services(parse(c.base), parse(c.overlay));
    Node expected = parse(c.expected);
    INFO("got      " << dump(merged));
    INFO("expected " << dump(expected));
    CHECK(berth::loader::same_content(merged, expected));
  }
}

TEST_CASE("merge_documents: the same rules apply under services.<name>", "[loader][merge]") {
  for (const auto& c : service_cases) {
    INFO(c.name);
    auto wrap = [](const char* service) {
      return std::string("services:\n  web:\n") + [&] {
        std::string indented;
        std::string s = service;
        size_t start = 0;
        while (start <= s.size()) {
          auto nl = s.find('\n', start);
          indented += "    " + s.substr(start, nl == std::string::npos ? nl : nl - start) + "\n";
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
        return indented;
      }();
    };
    Node merged = berth::loader::merge_documents(parse(wrap(c.base)), parse(wrap(c.overlay)));
    Node expected = parse(wrap(c.expected));
    INFO("got      " << dump(merged));
    CHECK(berth::loader::same_content(merged, expected));
  }
}

TEST_CASE("merge_documents: top-level resources", "[loader][merge]") {
  const std::vector<MergeCase> cases = {
      {"new service added", "services: {a: {image: x}}", "services: {b: {image: y}}",
       "services: {a: {image: x}, b: {image: y}}"},
      {"service reset removed", "services: {a: {image: x}, b: {image: y}}", "services: {b: !reset}",
       "services: {a: {image: x}}"},
      {"network labels merged by key", "networks: {n: {labels: [a=1]}}", "networks: {n: {labels: {b: '2'}}}",
       "networks: {n: {labels: {a: '1', b: '2'}}}"},
      {"volume driver_opts merged", "volumes: {v: {driver_opts: {type: nfs}}}",
       "volumes: {v: {driver_opts: {o: addr=1}}}", "volumes: {v: {driver_opts: {type: nfs, o: addr=1}}}"},
      {"ipam config by subnet", "networks: {n: {ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1}]}}}",
       "networks: {n: {ipam: {config: [{subnet: 10.0.0.0/24, ip_range: 10.0.0.0/25}, {subnet: 10.1.0.0/24}]}}}",
       "networks: {n: {ipam: {config: [{subnet: 10.0.0.0/24, gateway: 10.0.0.1, ip_range: 10.0.0.0/25}, "
       "{subnet: 10.1.0.0/24}]}}}"},
      {"name replaced", "name: a", "name: b", "name: b"},
      {"top-level x- replaced", "x-common: {a: 1}", "x-common: {b: 2}", "x-common: {b: 2}"},
      {"secrets merged", "secrets: {s: {file: ./a}}", "secrets: {t: {environment: T}}",
       "secrets: {s: {file: ./a}, t: {environment: T}}"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    Node merged = berth::loader::merge_documents(parse(c.base), parse(c.overlay));
    INFO("got " << dump(merged));
    CHECK(berth::loader::same_content(merged, parse(c.expected)));
  }
}

TEST_CASE("merge_all folds in order and resolves tags of a single file", "[loader][merge]") {
  SECTION("three layers") {
    Node merged = berth::loader::merge_all({parse("services: {a: {image: x, ports: ['80:80']}}"),
                                            parse("services: {a: {image: y}}"),
                                            parse("services: {a: {ports: !reset []}}")});
    CHECK(berth::loader::same_content(merged, parse("services: {a: {image: y}}")));
  }
  SECTION("a single document keeps its tags for a later merge; strip_merge_tags resolves them") {
    Node single = berth::loader::merge_all({parse("services: {a: {image: x, user: !reset root, "
                                                  "environment: !override {A: '1'}}}")});
    const Node* environment = single.find("services")->find("a")->find("environment");
    CHECK(environment->tag() == Node::Tag::Override);
    Node layered = berth::loader::merge_all({parse("services: {a: {image: y, user: me, environment: {B: '2'}}}"),
                                             single});
    CHECK(berth::loader::same_content(layered, parse("services: {a: {image: x, environment: {A: '1'}}}")));

    berth::loader::strip_merge_tags(single);
    CHECK(berth::loader::same_content(single, parse("services: {a: {image: x, environment: {A: '1'}}}")));
    CHECK(single.find("services")->find("a")->find("environment")->tag() == Node::Tag::None);
  }
  SECTION("no documents") { CHECK(berth::loader::merge_all({}).is_mapping()); }
}

TEST_CASE("merged values keep the marks of where they were written", "[loader][merge]") {
  Node base = parse("services:\n  web:\n    image: a\n    ports: ['80:80']\n", "base.yaml");
  Node over = parse("services:\n  web:\n    image: b\n    ports: ['81:81']\n", "over.yaml");
  Node merged = berth::loader::merge_documents(base, over);
  const Node* web = merged.find("services")->find("web");
  REQUIRE(web);
  CHECK(web->find("image")->mark().to_string() == "over.yaml:3:12");
  const Node* ports = web->find("ports");
  REQUIRE(ports->items().size() == 2);
  CHECK(ports->items()[0].mark().file == "base.yaml");
  CHECK(ports->items()[1].mark().file == "over.yaml");
}

TEST_CASE("same_content ignores order of keys, marks and style", "[loader][merge]") {
  CHECK(berth::loader::same_content(parse("{a: 1, b: [x, y]}", "one"), parse("{b: ['x', y], a: '1'}", "two")));
  CHECK_FALSE(berth::loader::same_content(parse("{a: 1}"), parse("{a: 2}")));
  CHECK_FALSE(berth::loader::same_content(parse("[x, y]"), parse("[y, x]")));
  CHECK_FALSE(berth::loader::same_content(parse("{a: 1}"), parse("{a: 1, b: 2}")));
}

// The order load() follows: per document of each file extends then include,
// then one merge over all documents.
TEST_CASE("stage order: extends per document, then merge_all over files", "[loader][merge]") {
  const std::string dir = BERTH_TEST_DATA_DIR "/loader/merge/layers";
  berth::loader::Diagnostics diagnostics;
  auto read = berth::loader::make_document_reader({}, diagnostics);
  std::vector<Node> documents;
  for (const char* name : {"compose.yaml", "compose.override.yaml"}) {
    const std::string path = dir + "/" + name;
    for (Node& doc : berth::loader::read_yaml_file(path)) {
      berth::loader::apply_merge_keys(doc);
      berth::loader::resolve_extends(doc, path, read);
      berth::loader::resolve_includes(doc, path, dir, {});
      documents.push_back(std::move(doc));
    }
  }
  Node merged = berth::loader::merge_all(documents);
  const Node* web = merged.find("services")->find("web");
  REQUIRE(web);
  INFO(dump(*web));
  CHECK(berth::loader::same_content(
      *web, parse("{image: busybox, environment: {A: '9', B: '2'}, command: [sh]}")));
  CHECK(merged.find("services")->find("extra") == nullptr);
  CHECK(merged.find("services")->find("base"));
}

TEST_CASE("merging large mappings stays fast", "[loader][merge]") {
  // Appends, not operator+: g++ 12 warns falsely (-Wrestrict) on the chained form.
  auto numbered = [](const char* prefix, int i, const char* suffix = "") {
    std::string text = prefix;
    text.append(std::to_string(i)).append(suffix);
    return text;
  };
  auto entry = [](std::string key, Node value) {
    Node::Entry e;
    e.key = std::move(key);
    e.value = std::move(value);
    return e;
  };
  const int n = 50000;
  Node base = Node::mapping(), overlay = Node::mapping();
  Node base_env = Node::mapping(), overlay_env = Node::sequence();
  for (int i = 0; i < n; ++i) {
    base.entries().push_back(entry(numbered("s", i), Node::mapping()));
    overlay.entries().push_back(entry(numbered("s", i + n / 2), Node::mapping()));
    base_env.entries().push_back(entry(numbered("K", i), Node::scalar("1")));
    overlay_env.push_back(Node::scalar(numbered("K", i + n / 2, "=2")));
  }
  Node base_doc = Node::mapping(), overlay_doc = Node::mapping();
  base_doc.set("services", base);
  base_doc.find("services")->find("s25000")->set("environment", base_env);
  overlay_doc.set("services", overlay);
  overlay_doc.find("services")->find("s25000")->set("environment", overlay_env);
  Node merged = berth::loader::merge_documents(base_doc, overlay_doc);
  CHECK(merged.find("services")->size() == static_cast<size_t>(n + n / 2));
  const Node* environment = merged.find("services")->find("s25000")->find("environment");
  REQUIRE(environment);
  CHECK(environment->size() == static_cast<size_t>(n + n / 2));
  CHECK(environment->find("K49999")->text() == "2");
  CHECK(berth::loader::same_content(merged, merged));
}

// compose-go resolves each file's extends before merging the files; a
// pipeline that merges first must get the same result, so merging keeps the
// tags of a service whose extends is still pending.
TEST_CASE("merging before extends keeps the tags extends needs", "[loader][merge][extends]") {
  struct OrderCase {
    const char* name;
    const char* base_file;
    const char* override_file;
    const char* expected_web;
  };
  const char* base_service = "services:\n  base: {image: x, user: root, ports: ['81:81'], environment: {A: '1'}}\n";
  const std::vector<OrderCase> cases = {
      {"!reset in the base file, override untouched", "  web: {extends: base, ports: !reset []}\n",
       "services: {web: {hostname: w}}",
       "{image: x, user: root, environment: {A: '1'}, hostname: w}"},
      {"!reset in the base file, override sets it", "  web: {extends: base, ports: !reset []}\n",
       "services: {web: {ports: ['9090:90']}}",
       "{image: x, user: root, environment: {A: '1'}, ports: ['9090:90']}"},
      {"!override in the base file, override merges into it",
       "  web: {extends: base, environment: !override {B: '2'}}\n",
       "services: {web: {environment: {C: '3'}}}",
       "{image: x, user: root, ports: ['81:81'], environment: {B: '2', C: '3'}}"},
      {"!reset in the override file", "  web: {extends: base}\n", "services: {web: {user: !reset null}}",
       "{image: x, ports: ['81:81'], environment: {A: '1'}}"},
      {"!override in the override file", "  web: {extends: base}\n",
       "services: {web: {ports: !override ['9090:90']}}",
       "{image: x, user: root, environment: {A: '1'}, ports: ['9090:90']}"},
      {"plain override appends to the extended value", "  web: {extends: base}\n",
       "services: {web: {ports: ['9090:90']}}",
       "{image: x, user: root, environment: {A: '1'}, ports: ['81:81', '9090:90']}"},
  };
  berth::loader::DocumentReader no_files = [](const std::string& path) -> Node {
    throw berth::Error(berth::ErrorKind::Config, path + ": not expected");
  };
  for (const auto& c : cases) {
    INFO(c.name);
    const std::string base_yaml = std::string(base_service) + c.base_file;
    const Node expected = parse(c.expected_web);

    // compose-go's order: extends per file, then merge.
    Node first = berth::loader::read_yaml(base_yaml, "/p/compose.yaml");
    berth::loader::resolve_extends(first, "/p/compose.yaml", no_files);
    Node second = berth::loader::read_yaml(c.override_file, "/p/override.yaml");
    Node extends_first = berth::loader::merge_all({first, second});
    INFO("extends first: " << dump(*extends_first.find("services")->find("web")));
    CHECK(berth::loader::same_content(*extends_first.find("services")->find("web"), expected));

    // Merge first, then extends on the merged document.
    Node merge_first = berth::loader::merge_all({berth::loader::read_yaml(base_yaml, "/p/compose.yaml"),
                                                 berth::loader::read_yaml(c.override_file, "/p/override.yaml")});
    berth::loader::resolve_extends(merge_first, "/p/compose.yaml", no_files);
    berth::loader::strip_merge_tags(merge_first);
    INFO("merge first: " << dump(*merge_first.find("services")->find("web")));
    CHECK(berth::loader::same_content(*merge_first.find("services")->find("web"), expected));
  }
}
