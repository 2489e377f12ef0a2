// `berth stack` against a real single-node swarm (swarm_fixture.h): deploy
// of a stack with an overlay network, a secret and a config, reachable on
// its host-mode port, services finding each other by name (endpoint_mode
// dnsrr: this machine's kernel has no IPVS for the virtual-IP balancer);
// updates that touch only what changed; a failing task reported with its
// error; --prune; rm; interop with `docker stack`.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "example_stack.h"
#include "lifecycle_fixture.h"
#include "swarm_fixture.h"

using namespace berth::e2e;
namespace fs = std::filesystem;

namespace {

// A compose project in a temporary directory deployed as a uniquely named
// stack, removed (services, secrets, configs, networks) when the test ends.
class StackProject {
 public:
  explicit StackProject(const std::string& hint) : dir_(hint), stack_(unique_name(hint)) {}
  // berth's rm waits until the tasks are gone and the networks removed.
  ~StackProject() { run_berth({"stack", "rm", stack_}); }

  const std::string& stack() const { return stack_; }
  void write(const std::string& relative, const std::string& text) { dir_.write(relative, text); }
  std::string file() const { return (dir_.path / "compose.yaml").string(); }
  const fs::path& dir() const { return dir_.path; }

  CommandResult berth(const std::vector<std::string>& args) const {
    std::vector<std::string> full = {"-f", file(), "--progress", "plain"};
    full.insert(full.end(), args.begin(), args.end());
    return run_berth(full);
  }
  CommandResult deploy(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"stack", "deploy"};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(stack_);
    return berth(args);
  }

 private:
  TempDir dir_;
  std::string stack_;
};

std::string two_services(const std::string& port, const std::string& worker_image, int worker_replicas) {
  return std::string("services:\n") +
         "  web:\n    image: " + busybox_image() + "\n" +
         "    command: [\"httpd\", \"-f\", \"-p\", \"8080\", \"-h\", \"/run/secrets\"]\n" +
         "    ports:\n      - {target: 8080, published: " + port + ", mode: host}\n" +
         "    secrets: [pw]\n    networks: [back]\n" +
         "    deploy: {endpoint_mode: dnsrr}\n" +
         "  worker:\n    image: " + worker_image + "\n" +
         "    command: [\"sh\", \"-c\", \"until wget -qO- http://web:8080/pw; do sleep 1; done; echo; echo reached-web; "
         "sleep 3600\"]\n" +
         "    configs:\n      - {source: conf, target: /etc/app.conf}\n    networks: [back]\n" +
         "    deploy: {endpoint_mode: dnsrr, replicas: " + std::to_string(worker_replicas) + "}\n" +
         "networks:\n  back: {}\n" +
         "secrets:\n  pw: {file: ./pw.txt}\n" +
         "configs:\n  conf: {content: \"level=debug\"}\n";
}

std::string task_container(const std::string& service) {
  auto r = run_command({"docker", "ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + service});
  return r.out.substr(0, r.out.find('\n'));
}

CommandResult get(const std::string& url) { return run_command({"curl", "-sf", "--max-time", "3", url}); }

}  // namespace

TEST_CASE("stack deploy outside a swarm is refused before anything is made", "[e2e][swarm]") {
  auto engine = berth::engine::DockerEngine::from_environment();
  if (engine->info().value("Swarm", nlohmann::json::object()).value("LocalNodeState", "") == "active") {
    WARN("the engine is in a swarm already: nothing to check");
    return;
  }
  StackProject project("stack-noswarm");
  project.write("compose.yaml", "services:\n  a:\n    image: " + std::string(busybox_image()) + "\n");
  auto r = project.deploy();
  CHECK(r.exit_code != 0);
  CHECK(contains(r.err, "this engine is not part of a swarm"));
  CHECK(contains(r.err, "docker swarm init"));
}

TEST_CASE("stack deploy: overlay network, secret and config, a host-mode port, services found by name",
          "[e2e][swarm]") {
  SingleNodeSwarm swarm;
  StackProject project("stack-deploy");
  const std::string port = test_port(21);
  project.write("pw.txt", "hunter2\n");
  project.write("compose.yaml", two_services(port, busybox_image(), 1));

  auto deploy = project.deploy();
  INFO(deploy.err);
  REQUIRE(deploy.exit_code == 0);
  CHECK(contains(deploy.err, "Service " + project.stack() + "_web  Running  1/1"));
  CHECK(contains(deploy.err, "Network " + project.stack() + "_back  Created"));

  CHECK(eventually([&] { return get("http://127.0.0.1:" + port + "/pw").out == "hunter2\n"; }));
  CHECK(eventually([&] {
    return contains(run_command({"docker", "service", "logs", project.stack() + "_worker"}).out, "reached-web");
  }));
  const std::string worker = task_container(project.stack() + "_worker");
  REQUIRE(!worker.empty());
  CHECK(run_command({"docker", "exec", worker, "cat", "/etc/app.conf"}).out == "level=debug");
  // The labels docker stack sets: its CLI sees the stack.
  CHECK(contains(run_command({"docker", "stack", "ls"}).out, project.stack()));
  auto services = run_berth({"stack", "services", project.stack()});
  CHECK(contains(services.out, project.stack() + "_web"));
  CHECK(contains(services.out, "1/1"));
  auto ps = run_berth({"stack", "ps", project.stack()});
  CHECK(contains(ps.out, project.stack() + "_worker.1"));
  CHECK(contains(ps.out, "Running"));
  auto ls = run_berth({"stack", "ls", "--format", "{{.Name}} {{.Services}}"});
  CHECK(contains(ls.out, project.stack() + " 2"));

  // A second deploy with nothing changed updates nothing.
  const auto web_version = swarm.version_of(project.stack() + "_web");
  auto again = project.deploy();
  CHECK(again.exit_code == 0);
  CHECK(contains(again.err, "Service " + project.stack() + "_web  Unchanged"));
  CHECK(swarm.version_of(project.stack() + "_web") == web_version);

  auto rm = run_berth({"stack", "rm", project.stack()});
  INFO(rm.err);
  CHECK(rm.exit_code == 0);
  CHECK(swarm.swarm().list_services({{"label", {"com.docker.stack.namespace=" + project.stack()}}}).empty());
  CHECK(swarm.swarm().list_secrets({{"label", {"com.docker.stack.namespace=" + project.stack()}}}).empty());
  CHECK(run_command({"docker", "network", "ls", "-q", "--filter", "name=" + project.stack() + "_back"}).out.empty());
}

TEST_CASE("stack deploy updates only what changed: a secret rolls its service, an image tag one service, replicas scale",
          "[e2e][swarm]") {
  SingleNodeSwarm swarm;
  StackProject project("stack-update");
  const std::string port = test_port(22);
  const std::string tag = "berth-local/busybox:" + project.stack();
  REQUIRE(run_command({"docker", "tag", busybox_image(), tag}).exit_code == 0);
  struct Untag {
    std::string tag;
    ~Untag() { run_command({"docker", "rmi", tag}); }
  } untag{tag};
  project.write("pw.txt", "first\n");
  project.write("compose.yaml", two_services(port, busybox_image(), 1));
  auto first = project.deploy();
  INFO(first.err);
  REQUIRE(first.exit_code == 0);
  const std::string web = project.stack() + "_web", worker = project.stack() + "_worker";
  const auto web_v1 = swarm.version_of(web), worker_v1 = swarm.version_of(worker);

  project.write("pw.txt", "second\n");
  auto secret = project.deploy();
  INFO(secret.err);
  REQUIRE(secret.exit_code == 0);
  CHECK(swarm.version_of(web) > web_v1);
  CHECK(swarm.version_of(worker) == worker_v1);
  CHECK(eventually([&] { return get("http://127.0.0.1:" + port + "/pw").out == "second\n"; }));
  // The old version of the secret is gone, the new one is the only one.
  auto secrets = swarm.swarm().list_secrets({{"label", {"com.docker.stack.namespace=" + project.stack()}}});
  CHECK(secrets.size() == 1);

  const auto web_v2 = swarm.version_of(web);
  project.write("compose.yaml", two_services(port, tag, 1));
  auto image = project.deploy();
  INFO(image.err);
  REQUIRE(image.exit_code == 0);
  CHECK(swarm.version_of(web) == web_v2);
  CHECK(swarm.version_of(worker) > worker_v1);

  project.write("compose.yaml", two_services(port, tag, 2));
  auto scaled = project.deploy();
  INFO(scaled.err);
  REQUIRE(scaled.exit_code == 0);
  CHECK(contains(scaled.err, "Service " + worker + "  Running  2/2"));
  CHECK(contains(run_berth({"stack", "services", project.stack()}).out, "2/2"));

  // Only the named service is deployed: web keeps its spec and its secret,
  // though the secret's file changed.
  project.write("pw.txt", "third\n");
  auto only_worker = project.berth({"stack", "deploy", project.stack(), "worker"});
  INFO(only_worker.err);
  CHECK(only_worker.exit_code == 0);
  CHECK(swarm.version_of(web) == web_v2);
  CHECK(get("http://127.0.0.1:" + port + "/pw").out == "second\n");
}

TEST_CASE("a failing task is reported with its error, --prune removes what the files dropped, docker stack interop",
          "[e2e][swarm]") {
  SingleNodeSwarm swarm;
  StackProject project("stack-fail");
  const std::string image = busybox_image();
  project.write("compose.yaml", "services:\n  ok:\n    image: " + image + "\n    command: [\"sleep\", \"3600\"]\n" +
                                    "  broken:\n    image: " + image +
                                    "\n    command: [\"sh\", \"-c\", \"echo dying; exit 3\"]\n");
  auto failed = project.deploy();
  INFO(failed.err);
  CHECK(failed.exit_code != 0);
  CHECK(contains(failed.err, "service " + project.stack() + "_broken: a task failed: task: non-zero exit (3)"));

  // A task that fails once is replaced by the swarm: the deploy waits for
  // the retry instead of failing (a first rejection can be transient).
  fs::create_directories(project.dir() / "state");
  fs::permissions(project.dir() / "state", fs::perms::all);
  project.write("compose.yaml", "services:\n  ok:\n    image: " + image + "\n    command: [\"sleep\", \"3600\"]\n" +
                                    "  flaky:\n    image: " + image +
                                    "\n    command: [\"sh\", \"-c\", \"test -e /state/seen || { touch /state/seen; exit 3; }; "
                                    "sleep 3600\"]\n    volumes: [\"./state:/state\"]\n");
  auto kept = project.deploy();
  INFO(kept.err);
  CHECK(kept.exit_code == 0);
  CHECK(contains(kept.err, "Service " + project.stack() + "_flaky  Retrying  task: non-zero exit (3)"));
  CHECK(contains(kept.err, "Service " + project.stack() + "_flaky  Running  1/1"));
  CHECK(swarm.version_of(project.stack() + "_broken") != 0);  // without --prune it stays
  project.write("compose.yaml", "services:\n  ok:\n    image: " + image + "\n    command: [\"sleep\", \"3600\"]\n");
  auto pruned = project.deploy({"--prune", "--detach"});
  INFO(pruned.err);
  CHECK(pruned.exit_code == 0);
  CHECK(contains(pruned.err, "Service " + project.stack() + "_broken  Removed"));
  CHECK(contains(pruned.err, "Service " + project.stack() + "_flaky  Removed"));
  CHECK(swarm.version_of(project.stack() + "_broken") == 0);
  CHECK(swarm.version_of(project.stack() + "_ok") != 0);

  // A stack docker deployed is berth's to list and remove, and the other way round.
  const std::string theirs = unique_name("stack-docker");
  auto docker_deploy = run_command({"docker", "stack", "deploy", "--detach=true", "-c", project.file(), theirs});
  INFO(docker_deploy.err);
  REQUIRE(docker_deploy.exit_code == 0);
  CHECK(contains(run_berth({"stack", "ls"}).out, theirs));
  CHECK(run_berth({"stack", "rm", theirs}).exit_code == 0);
  CHECK(swarm.version_of(theirs + "_ok") == 0);
  auto docker_rm = run_command({"docker", "stack", "rm", project.stack()});
  INFO(docker_rm.err);
  CHECK(docker_rm.exit_code == 0);
  CHECK(swarm.version_of(project.stack() + "_ok") == 0);
}

TEST_CASE("stack deploy refuses a build-only service and a missing secret file before anything is made",
          "[e2e][swarm]") {
  SingleNodeSwarm swarm;
  StackProject project("stack-bad");
  project.write("compose.yaml", "services:\n  app:\n    build: .\n");
  auto build_only = project.deploy();
  CHECK(build_only.exit_code != 0);
  CHECK(contains(build_only.err, "service \"app\": a swarm runs images from a registry"));

  project.write("compose.yaml", "services:\n  app:\n    image: " + std::string(busybox_image()) +
                                    "\n    secrets: [token]\nsecrets:\n  token: {file: ./missing.txt}\n");
  auto missing = project.deploy();
  CHECK(missing.exit_code != 0);
  CHECK(contains(missing.err, "secrets.token: cannot read its file"));
  CHECK(swarm.swarm().list_services({{"label", {"com.docker.stack.namespace=" + project.stack()}}}).empty());
  CHECK(run_command({"docker", "network", "ls", "-q", "--filter", "label=com.docker.stack.namespace=" +
                                                                          project.stack()}).out.empty());
}
