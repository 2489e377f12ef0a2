// End-to-end: `berth config` gives what docker compose's own e2e tests and
// compose-go's loader expect (test names in the comments are theirs).
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A scratch directory of files, and berth run in it.
struct Tree : TempDir {
  Tree() : TempDir("fidelity") {}
  const std::filesystem::path& dir = path;
  // berth run in `relative` (as a user in that directory), no -f.
  CommandResult berth_in(const std::string& relative, const std::vector<std::string>& args,
                         const std::vector<std::string>& env = {}) const {
    std::string command = "cd '" + (path / relative).string() + "' && exec '" + BERTH_BINARY + "'";
    for (const auto& a : args) command += " '" + a + "'";
    return run_command({"/bin/sh", "-c", command}, "", env);
  }
};

}  // namespace

TEST_CASE("COMPOSE_PROJECT_NAME is the project name during interpolation", "[e2e][config][fidelity]") {
  Tree t;
  t.write("compose.yaml", "name: ${SHOP:-shop}\nservices:\n  web:\n    image: busybox\n"
                          "    container_name: ${COMPOSE_PROJECT_NAME}-web\n");
  auto r = t.berth_in("", {"config"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "container_name: shop-web\n"));
  CHECK(!contains(r.err, "COMPOSE_PROJECT_NAME"));  // no "variable is not set" warning
  CHECK(contains(t.berth_in("", {"-p", "other", "config"}).out, "container_name: other-web\n"));
}

TEST_CASE("a .env in the working directory and the project's both count (TestNestedDotEnv)",
          "[e2e][config][fidelity]") {
  Tree t;
  t.write(".env", "ROOT=root\nWIN=root");
  t.write("sub/.env", "SUB=sub\nWIN=sub\n");
  t.write("compose.yaml", "services:\n  echo:\n    image: busybox\n    command: echo $ROOT $SUB win=$WIN\n");
  auto root = t.berth_in("", {"config", "--format", "json"});
  INFO(root.err);
  REQUIRE(root.exit_code == 0);
  CHECK(json::parse(root.out)["services"]["echo"]["command"] == json({"echo", "root", "win=root"}));
  auto sub = t.berth_in("sub", {"config", "--format", "json"});
  INFO(sub.err);
  REQUIRE(sub.exit_code == 0);
  CHECK(json::parse(sub.out)["services"]["echo"]["command"] == json({"echo", "root", "sub", "win=sub"}));
}

TEST_CASE("a .env that sets COMPOSE_FILE also sets the variables (TestComposeFileSetByDotEnv)",
          "[e2e][config][fidelity]") {
  Tree t;
  t.write(".env", "COMPOSE_FILE=\"${COMPOSE_FILE:-development/compose.yaml}\"\nIMAGE_NAME=test\nCOMPOSE_PROFILES=test\n");
  t.write("development/.env", "IMAGE_NAME=\"${IMAGE_NAME:-backend}\"\nIMAGE_TAG=\"${IMAGE_TAG:-latest}\"\n");
  t.write("development/compose.yaml", "services:\n  backend:\n    image: $IMAGE_NAME:$IMAGE_TAG\n"
                                      "  test:\n    profiles: [test]\n    image: enabled:profile\n");
  auto r = t.berth_in("", {"config"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(contains(r.out, "image: test:latest"));
  CHECK(contains(r.out, "image: enabled:profile"));
  // TestComposeFileSetByProjectDirectory
  auto dir = t.berth_in("", {"--project-directory", "development", "config"});
  CHECK(contains(dir.out, "image: backend:latest"));
}

TEST_CASE("config --no-interpolate prints what does not parse as written (TestLocalComposeConfig)",
          "[e2e][config][fidelity]") {
  Tree t;
  t.write("compose.yaml", "services:\n  test:\n    image: test\n    ports:\n      - ${PORT:-8080}:80\n");
  auto plain = t.berth_in("", {"config"});
  CHECK(contains(plain.out, "published: \"8080\""));
  auto raw = t.berth_in("", {"config", "--no-interpolate"});
  INFO(raw.err);
  CHECK(raw.exit_code == 0);
  CHECK(contains(raw.out, "- ${PORT:-8080}:80\n"));
}

TEST_CASE("config --no-normalize skips only normalization", "[e2e][config][fidelity]") {
  Tree t;
  t.write("compose.yaml", "services:\n  web:\n    image: busybox\n    ports: [\"8080:80\"]\n    volumes: [./src:/src]\n"
                          "    secrets: [token]\n    links: [db]\n  db:\n    image: busybox\n"
                          "secrets:\n  token:\n    file: ./token\n");
  auto r = t.berth_in("", {"config", "--no-normalize", "--format", "json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto doc = json::parse(r.out);
  const auto& web = doc["services"]["web"];
  CHECK(web["ports"][0]["target"] == 80);
  CHECK(web["volumes"][0]["source"] == (t.dir / "src").string());
  CHECK(web["secrets"][0]["target"] == "/run/secrets/token");
  CHECK(!web.contains("networks"));
  CHECK(!web.contains("depends_on"));
  CHECK(!doc.contains("networks"));
}

TEST_CASE("config prints modes, ulimits, bind devices and env files as docker compose does",
          "[e2e][config][fidelity]") {
  Tree t;
  t.write("web.env", "FROM_FILE=1\n");
  t.write("compose.yaml",
          "services:\n  web:\n    image: busybox\n    env_file: [web.env]\n    ulimits:\n      nproc: 65535\n"
          "    secrets:\n      - source: token\n        mode: \"440\"\n    configs:\n      - source: site\n        mode: 0644\n"
          "    volumes: [data:/data]\n"
          "secrets:\n  token:\n    file: ./token\nconfigs:\n  site:\n    file: ./site\n"
          "volumes:\n  data:\n    driver_opts: {type: none, o: bind, device: ./data}\n");
  auto yaml = t.berth_in("", {"config"});
  INFO(yaml.err);
  REQUIRE(yaml.exit_code == 0);
  CHECK(contains(yaml.out, "mode: \"0440\""));
  CHECK(contains(yaml.out, "mode: \"0644\""));
  CHECK(contains(yaml.out, "nproc: 65535\n"));
  CHECK(contains(yaml.out, "device: " + (t.dir / "data").string() + "\n"));
  CHECK(contains(yaml.out, "FROM_FILE: \"1\""));
  CHECK(!contains(yaml.out, "env_file"));
  auto doc = json::parse(t.berth_in("", {"config", "--format", "json"}).out);
  CHECK(doc["services"]["web"]["secrets"][0]["mode"] == "0440");
  CHECK(doc["services"]["web"]["ulimits"]["nproc"] == 65535);
  // What config prints reads back the same (the policy's values are in it
  // by then: compared without the comments that mark them).
  t.write("printed.yaml", yaml.out);
  auto again = t.berth_in("", {"-f", "printed.yaml", "config", "--format", "json"});
  INFO(again.err);
  CHECK(json::parse(again.out) == doc);
  // --no-env-resolution keeps env_file and does not read it.
  auto unresolved = t.berth_in("", {"config", "--no-env-resolution"});
  CHECK(contains(unresolved.out, "path: " + (t.dir / "web.env").string()));
  CHECK(!contains(unresolved.out, "FROM_FILE"));
}

TEST_CASE("config --variables --format json|yaml, --models, --hash with another service's env file missing",
          "[e2e][config][fidelity]") {
  Tree t;
  t.write("web.env", "A=1\n");
  t.write("compose.yaml", "services:\n  web:\n    image: busybox:${TAG:-latest}\n    env_file: [web.env]\n"
                          "    environment: [\"DB=${DB:?set DB}\", \"X=$X\"]\n    models: [llm]\n"
                          "  db:\n    image: busybox\n    env_file: [missing.env]\n"
                          "models:\n  llm:\n    model: ai/smollm2\n");
  auto as_json = t.berth_in("", {"config", "--variables", "--format", "json"});
  INFO(as_json.err);
  REQUIRE(as_json.exit_code == 0);
  auto vars = json::parse(as_json.out);
  CHECK(vars["TAG"] == json({{"Name", "TAG"}, {"DefaultValue", "latest"}, {"PresenceValue", ""}, {"Required", false}}));
  CHECK(vars["DB"]["Required"] == true);
  CHECK(vars["X"]["Required"] == false);
  CHECK(contains(as_json.out, "\n    \"DB\": {\n        \"Name\": \"DB\",\n"));  // 4-space indent, field order
  auto as_yaml = t.berth_in("", {"config", "--variables", "--format", "yaml"});
  CHECK(contains(as_yaml.out, "TAG:\n  defaultvalue: latest\n"));

  auto hash = t.berth_in("", {"config", "--hash", "web"}, {"DB=x"});
  INFO(hash.err);
  CHECK(hash.exit_code == 0);
  CHECK(hash.out.starts_with("web "));
  auto all = t.berth_in("", {"config", "--hash", "*"}, {"DB=x"});
  CHECK(all.exit_code != 0);
  CHECK(contains(all.err, "missing.env"));

  auto models = t.berth_in("", {"config", "--models", "--no-env-resolution"}, {"DB=x"});
  CHECK(models.out == "ai/smollm2\n");
  auto lock = t.berth_in("", {"config", "--lock-image-digests"}, {"DB=x"});
  CHECK(lock.exit_code != 0);
  CHECK(contains(lock.err, "--lock-image-digests"));
}

TEST_CASE("config --hash is the config-hash label up gives the container", "[e2e][config][fidelity]") {
  Stack stack("hashlabel", "services:\n  web:\n    image: " + std::string(busybox_image()) +
                               "\n    command: [\"sleep\", \"3600\"]\n    env_file: [web.env]\n    secrets: [s]\n"
                               "secrets:\n  s:\n    file: ./s.txt\n");
  std::ofstream(stack.dir() / "web.env") << "A=1\n";
  std::ofstream(stack.dir() / "s.txt") << "x\n";
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto hash = stack.berth({"config", "--hash", "web"});
  auto label = stack.engine().inspect_container(stack.container("web"))["Config"]["Labels"]["com.docker.compose.config-hash"];
  CHECK(hash.out == "web " + label.get<std::string>() + "\n");
}
