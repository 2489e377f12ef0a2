// `berth build` and `up --build` against the real engine, with BuildKit (the
// default) and the classic builder (DOCKER_BUILDKIT=0) where both apply:
// a multi-stage build to a small non-root image, rebuilds that recreate only
// what changed, and builds that fail with an error naming the service and
// leave no image tagged. Builds that RUN something use `network: none`: the
// engine's default bridge is not always there on test machines. Every
// Dockerfile here labels its images
// (berth.e2e=<project>) right after FROM, so the images a test makes, the
// intermediate ones included, are found and removed when it ends.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "berth/util/error.h"
#include "lifecycle_fixture.h"

using namespace berth;
using berth::e2e::contains;
using berth::e2e::Stack;

namespace {

class BuildStack : public Stack {
 public:
  BuildStack(const std::string& hint, const std::string& yaml) : Stack(hint, yaml) {}
  ~BuildStack() {
    // Containers first: an image a container uses cannot be removed.
    try {
      e2e::run_berth({"-p", project(), "down", "-v", "-t", "0", "--remove-orphans"});
      force_cleanup();
    } catch (...) {
    }
    remove_images();
  }

  // A Dockerfile whose every stage labels its images for remove_images().
  // `part` keeps Dockerfiles built in parallel from sharing a first step:
  // two classic builds that make the same step at once each make an image,
  // and the next build's cache may continue from either.
  std::string dockerfile(const std::vector<std::string>& stages, const std::string& part = "") const {
    std::string text;
    for (const auto& stage : stages) {
      auto newline = stage.find('\n');
      text += stage.substr(0, newline) + "\nLABEL berth.e2e=" + project() + " berth.e2e.part=" + part + "\n" +
              (newline == std::string::npos ? "" : stage.substr(newline + 1)) + "\n";
    }
    return text;
  }
  void put(const std::filesystem::path& rel, const std::string& content) const {
    auto path = dir() / rel;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::trunc) << content;
  }
  std::string image_id(const std::string& image) {
    try {
      return engine().inspect_image(image).value("Id", std::string());
    } catch (const Error&) {
      return {};
    }
  }
  nlohmann::json inspect(const std::string& image) { return engine().inspect_image(image); }

  void remove_images() {
    engine::ListImagesOptions options;
    options.all = true;
    options.filters["label"] = {"berth.e2e=" + project()};
    // Children before parents: retry while something goes away.
    for (int round = 0; round < 10; ++round) {
      auto images = engine().list_images(options);
      if (images.empty()) return;
      for (const auto& image : images) {
        try {
          engine().remove_image(image.id, {true, false});
        } catch (...) {
        }
      }
    }
  }
};

std::string sleeper(const std::string& name, const std::string& extra = "") {
  return "  " + name + ":\n    build: ./" + name + "\n    command: [\"sleep\", \"3600\"]\n    stop_signal: SIGKILL\n" +
         extra;
}

}  // namespace

TEST_CASE("build: a multi-stage build makes a small non-root image", "[e2e][images][build]") {
  const std::string buildkit = GENERATE(as<std::string>{}, "1", "0");
  const bool classic = buildkit == "0";
  CAPTURE(buildkit);
  BuildStack stack("build-multi", "");
  stack.write("services:\n"
              "  app:\n"
              "    build:\n"
              "      context: ./app\n"
              "      network: none\n"
              "      args:\n"
              "        GREETING: hello-from-args\n"
              "        FROM_ENV:\n"
              "      labels:\n"
              "        org.example.team: berth\n"
              "      tags: [\"" + stack.project() + "-extra:v1\"]\n"
              "    command: [\"cat\", \"/app/artefact\"]\n");
  stack.put("app/Dockerfile",
            stack.dockerfile({std::string("FROM ") + e2e::busybox_image() + " AS builder\n"
                                  "ARG GREETING\nARG FROM_ENV\n"
                                  "WORKDIR /src\nCOPY src/ ./\n"
                                  "RUN mkdir /out && cat greeting.txt > /out/artefact && "
                                  "echo \"$GREETING $FROM_ENV\" >> /out/artefact && ls -a /src >> /out/artefact",
                              std::string("FROM ") + e2e::busybox_image() + "\n"
                                  "COPY --from=builder /out/artefact /app/artefact\n"
                                  "USER app"}));
  stack.put("app/src/greeting.txt", "built in the builder stage\n");
  stack.put("app/src/notes.tmp", "left out by .dockerignore\n");
  stack.put("app/.dockerignore", "**/*.tmp\n");

  auto r = stack.berth({"build"}, {"FROM_ENV=value-from-environment", "DOCKER_BUILDKIT=" + buildkit});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Builder output, shown per line.
  CHECK(contains(r.err, classic ? "Step 1/" : "#1 [internal] load remote build context"));
  CHECK(contains(r.err, "Built"));

  const std::string image = stack.project() + "-app";
  auto inspect = stack.inspect(image);
  CHECK(inspect["Config"]["User"] == "app");
  auto labels = inspect["Config"]["Labels"];
  CHECK(labels["com.docker.compose.project"] == stack.project());
  CHECK(labels["com.docker.compose.service"] == "app");
  CHECK(labels["org.example.team"] == "berth");
  CHECK(stack.image_id(stack.project() + "-extra:v1") == inspect["Id"]);

  auto run = e2e::run_command({"docker", "run", "--rm", "--network", "none", image, "cat", "/app/artefact"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(contains(run.out, "built in the builder stage"));
  CHECK(contains(run.out, "hello-from-args value-from-environment"));
  CHECK(contains(run.out, "greeting.txt"));
  CHECK_FALSE(contains(run.out, "notes.tmp"));

  // Nothing changed: the builder's cache gives the same image.
  auto again = stack.berth({"build", "-q", "app"}, {"FROM_ENV=value-from-environment", "DOCKER_BUILDKIT=" + buildkit});
  CHECK(again.exit_code == 0);
  CHECK_FALSE(contains(again.err, "Step 1/"));
  CHECK_FALSE(contains(again.err, "#1 "));
  CHECK(stack.image_id(image) == inspect["Id"]);
}

TEST_CASE("build: up --build after a source change recreates only the changed service", "[e2e][images][build]") {
  BuildStack stack("build-up", "");
  stack.write("services:\n" + sleeper("a") + sleeper("b"));
  for (const std::string name : {"a", "b"}) {
    stack.put(name + "/Dockerfile",
              stack.dockerfile({std::string("FROM ") + e2e::busybox_image() + "\nCOPY file.txt /file.txt"}, name));
    stack.put(name + "/file.txt", "version 1 of " + name + "\n");
  }
  auto first = stack.berth({"up", "-d", "--build"});
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  auto before = stack.ids_by_service();
  REQUIRE(before.size() == 2);

  auto unchanged = stack.berth({"up", "-d", "--build"});
  INFO(unchanged.err);
  REQUIRE(unchanged.exit_code == 0);
  CHECK(stack.ids_by_service() == before);

  stack.put("a/file.txt", "version 2 of a\n");
  auto changed = stack.berth({"up", "-d", "--build"});
  INFO(changed.err);
  REQUIRE(changed.exit_code == 0);
  auto after = stack.ids_by_service();
  CHECK(after["a"] != before["a"]);
  CHECK(after["b"] == before["b"]);
  auto cat = e2e::run_command({"docker", "exec", stack.container("a"), "cat", "/file.txt"});
  CHECK(cat.out == "version 2 of a\n");

  // up without --build leaves an existing image alone; --no-build never builds.
  stack.put("b/file.txt", "version 2 of b\n");
  CHECK(stack.berth({"up", "-d", "--no-build"}).exit_code == 0);
  CHECK(stack.ids_by_service()["b"] == before["b"]);
}

TEST_CASE("build: images missing with pull_policy never or --no-build are errors naming the service",
          "[e2e][images][build]") {
  BuildStack stack("build-policy", "");
  stack.write("services:\n" + sleeper("web") +
              "  cache:\n    image: berth-e2e-never-pulled:latest\n    pull_policy: never\n");
  stack.put("web/Dockerfile", stack.dockerfile({std::string("FROM ") + e2e::busybox_image()}));

  auto never = stack.berth({"up", "-d", "--no-build"});
  CHECK(never.exit_code == 1);
  CHECK(contains(never.err, "service \"cache\": image berth-e2e-never-pulled:latest not found locally and "
                            "pull_policy is never"));
  CHECK(contains(never.err, "service \"web\""));
  CHECK(stack.containers().empty());
  CHECK(stack.image_id(stack.project() + "-web").empty());

  auto dry = stack.berth({"--dry-run", "build"});
  CHECK(dry.exit_code == 0);
  CHECK(contains(dry.err + dry.out, "DRY-RUN build service web"));
  CHECK(stack.image_id(stack.project() + "-web").empty());
}

TEST_CASE("build: failing builds name the service, show the failing step and tag nothing", "[e2e][images][build]") {
  const std::string buildkit = GENERATE(as<std::string>{}, "1", "0");
  const bool classic = buildkit == "0";
  CAPTURE(buildkit);
  BuildStack stack("build-faults", "");
  const std::string from = std::string("FROM ") + e2e::busybox_image();
  stack.write("services:\n"
              "  syntax:\n    build: ./syntax\n"
              "  failing:\n    build:\n      context: ./failing\n      network: none\n"
              "  nocontext:\n    build: ./does-not-exist\n"
              "  filecontext:\n    build: ./a-file\n"
              "  ignored:\n    build:\n      context: ./ignored\n      network: none\n"
              "  remote:\n    build: https://github.com/example/app.git\n"
              "  buildkit:\n    build:\n      context: ./ignored\n      ssh: [default]\n"
              "  shared1:\n    image: " + stack.project() + "-shared\n    build: {context: ./ignored, network: none}\n"
              "  shared2:\n    image: " + stack.project() + "-shared\n    build: {context: ./ignored, network: none}\n");
  stack.put("syntax/Dockerfile", stack.dockerfile({from + "\nNOTANINSTRUCTION foo"}));
  stack.put("failing/Dockerfile",
            stack.dockerfile({from + "\nRUN echo compiling-the-thing && echo it-went-wrong >&2 && exit 3\nRUN true"}));
  stack.put("a-file", "not a directory");
  stack.put("ignored/Dockerfile", stack.dockerfile({from + "\nCOPY . /ctx\nRUN ls -a /ctx"}));
  stack.put("ignored/.dockerignore", "Dockerfile\n.dockerignore\n");
  stack.put("ignored/kept.txt", "kept");

  auto image_of = [&](const std::string& service) { return stack.project() + "-" + service; };
  struct Fault {
    std::string service;
    std::vector<std::string> expected;
  };
  const std::vector<Fault> faults = {
      {"syntax", {"unknown instruction", "NOTANINSTRUCTION"}},
      {"failing", classic ? std::vector<std::string>{"returned a non-zero code: 3", "compiling-the-thing", "it-went-wrong", "Step 3/"}
                          : std::vector<std::string>{"exit code: 3", "compiling-the-thing", "it-went-wrong",
                                                     "RUN echo compiling-the-thing", "Dockerfile:3"}},
      {"nocontext", {"does-not-exist does not exist"}},
      {"filecontext", {"a-file is not a directory"}},
      {"remote", {"not supported"}},
      {"buildkit", classic ? std::vector<std::string>{"build.ssh", "classic builder"}
                           : std::vector<std::string>{"build.ssh", "SSH_AUTH_SOCK is not set"}},
  };
  const std::vector<std::string> env = {"DOCKER_BUILDKIT=" + buildkit, "SSH_AUTH_SOCK="};
  for (const auto& fault : faults) {
    INFO(fault.service);
    auto r = stack.berth({"build", fault.service}, env);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "service \"" + fault.service + "\""));
    for (const auto& text : fault.expected) CHECK(contains(r.err, text));
    CHECK(stack.image_id(image_of(fault.service)).empty());
  }

  // .dockerignore may exclude the Dockerfile: it is sent anyway (and kept out of COPY).
  auto ignored = stack.berth({"build", "ignored"}, env);
  INFO(ignored.err);
  CHECK(ignored.exit_code == 0);
  CHECK(contains(ignored.err, "kept.txt"));
  CHECK_FALSE(stack.image_id(image_of("ignored")).empty());

  // Two services with one image: built once.
  auto shared = stack.berth({"build", "shared1", "shared2"}, env);
  INFO(shared.err);
  CHECK(shared.exit_code == 0);
  size_t builds = 0;
  for (size_t at = 0; (at = shared.err.find("Building", at)) != std::string::npos; ++at) ++builds;
  CHECK(builds == 1);
  CHECK_FALSE(stack.image_id(stack.project() + "-shared").empty());
}

TEST_CASE("build: target ulimits shm_size extra_hosts and no_cache reach the builder's RUN steps",
          "[e2e][images][build]") {
  // Unset: BuildKit, unless this engine's would ignore the limits (Docker
  // 20.10: then the classic builder, with a note); 0: the classic builder.
  const std::string buildkit = GENERATE(as<std::string>{}, "", "0");
  CAPTURE(buildkit);
  const std::vector<std::string> env = {"DOCKER_BUILDKIT=" + buildkit};
  BuildStack stack("build-options", "");
  auto compose = [&](bool no_cache) {
    return std::string("services:\n"
                       "  app:\n"
                       "    build:\n"
                       "      context: ./app\n"
                       "      network: none\n"
                       "      target: probe\n"
                       "      shm_size: 32m\n"
                       "      extra_hosts: [\"berth-probe-host=10.1.2.3\"]\n"
                       "      ulimits:\n"
                       "        nofile: {soft: 1234, hard: 2345}\n") +
           (no_cache ? "      no_cache: true\n" : "");
  };
  stack.write(compose(false));
  // The last stage would fail: building it means `target` was not sent.
  stack.put("app/Dockerfile",
            stack.dockerfile({std::string("FROM ") + e2e::busybox_image() + " AS probe\n"
                                  "RUN ulimit -n > /limits && ulimit -Hn >> /limits && "
                                  "grep berth-probe-host /etc/hosts > /hosts; "
                                  "df -k /dev/shm | tail -1 > /shm && date +%s%N > /stamp",
                              std::string("FROM ") + e2e::busybox_image() + "\nRUN false"}));

  const bool limits_ignored = stack.engine().version().api_version == "1.41";
  if (limits_ignored) {
    // Asked for, BuildKit that would ignore them is an error naming them.
    auto refused = stack.berth({"build"}, {"DOCKER_BUILDKIT=1"});
    CHECK(refused.exit_code == 1);
    CHECK(contains(refused.err, "build.ulimits and build.shm_size would be ignored"));
  }
  auto r = stack.berth({"build"}, env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  if (buildkit.empty() && limits_ignored) CHECK(contains(r.err, "building with the classic builder"));
  const std::string image = stack.project() + "-app";
  auto read = [&](const std::string& file) {
    auto run = e2e::run_command({"docker", "run", "--rm", "--network", "none", image, "cat", file});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    return run.out;
  };
  CHECK(read("/limits") == "1234\n2345\n");
  CHECK(contains(read("/hosts"), "10.1.2.3"));
  CHECK(contains(read("/shm"), " 32768 "));
  const std::string first_id = stack.image_id(image);

  // Cached without no_cache; built afresh with it.
  REQUIRE(stack.berth({"build", "-q"}, env).exit_code == 0);
  CHECK(stack.image_id(image) == first_id);
  stack.write(compose(true));
  auto fresh = stack.berth({"build", "-q"}, env);
  INFO(fresh.err);
  REQUIRE(fresh.exit_code == 0);
  CHECK(stack.image_id(image) != first_id);
}

TEST_CASE("build: --dry-run up plans the builds and pulls and the containers that use them",
          "[e2e][images][build]") {
  BuildStack stack("build-dry-up", "");
  stack.write("services:\n" + sleeper("web") + "  cache:\n    image: berth-e2e-not-pulled-yet:latest\n");
  stack.put("web/Dockerfile", stack.dockerfile({std::string("FROM ") + e2e::busybox_image()}));

  auto dry = stack.berth({"--dry-run", "up", "-d"});
  INFO(dry.err);
  CHECK(dry.exit_code == 0);
  const std::string out = dry.err + dry.out;
  CHECK(contains(out, "DRY-RUN build service web (image " + stack.project() + "-web)"));
  CHECK(contains(out, "DRY-RUN pull image berth-e2e-not-pulled-yet:latest for service cache"));
  CHECK(contains(out, "create container " + stack.project() + "-web-1 (web)"));
  CHECK(contains(out, "start container " + stack.project() + "-cache-1 (cache)"));
  // The build comes before the plan that needs its image.
  CHECK(out.find("DRY-RUN build service web") < out.find("create container " + stack.project() + "-web-1"));
  CHECK(stack.containers().empty());
  CHECK(stack.networks().empty());
  CHECK(stack.image_id(stack.project() + "-web").empty());

  auto dry_run = stack.berth({"--dry-run", "run", "--rm", "web", "true"});
  INFO(dry_run.err);
  CHECK(dry_run.exit_code == 0);
  CHECK(contains(dry_run.err, "DRY-RUN build service web"));
  CHECK(contains(dry_run.err, "DRY-RUN run a one-off container of service web"));
  CHECK(stack.containers().empty());
  CHECK(stack.image_id(stack.project() + "-web").empty());

  // Refused builds are still errors in a dry run.
  auto refused = stack.berth({"--dry-run", "up", "-d", "--no-build"});
  CHECK(refused.exit_code == 1);
  CHECK(contains(refused.err, "service \"web\""));
}
