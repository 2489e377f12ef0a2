// The engine restarting in the middle of `up -d` and of `logs -f`: a separate
// dockerd (never the shared one other tests use) is killed while berth works
// against it and started again; the next `up -d` must converge, `logs -f`
// must end with an error, and `down -v` leave nothing.
#include <sys/mount.h>

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "lifecycle_fixture.h"

using namespace berth::e2e;
using namespace std::chrono_literals;

namespace {

// A dockerd of its own under /tmp/<unique>: its own data, exec root,
// containerd and socket; no iptables, an address pool of its own
// (10.<200 + pid % 50>.0.0/16), apart from the shared engine's, and a default
// bridge of its own. Starting it can still delete the host's docker0 (seen
// here with dockerd 20.10, with `--bridge none` and with a bridge of its
// own), which the shared engine's default network needs: put it back.
class PrivateEngine {
 public:
  explicit PrivateEngine(const std::filesystem::path& root)
      : root_(root), pool_prefix_("10." + std::to_string(200 + getpid() % 50) + ".") {
    std::filesystem::create_directories(root_);
  }
  ~PrivateEngine() {
    if (daemon_) {
      // A failed test leaves containers and networks (host bridges!) behind.
      run_command({"sh", "-c", "ids=$(docker -H " + host() + " ps -aq); [ -z \"$ids\" ] || docker -H " + host() +
                                   " rm -f $ids; docker -H " + host() + " network prune -f"});
    }
    stop();
    unmount_below_root();
    remove_leftover_bridges();
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  PrivateEngine(const PrivateEngine&) = delete;
  PrivateEngine& operator=(const PrivateEngine&) = delete;

  std::string host() const { return "unix://" + (root_ / "docker.sock").string(); }
  std::string env() const { return "DOCKER_HOST=" + host(); }

  // Starts dockerd and waits until it answers; false (with the log in
  // `log()`) when it cannot run here.
  bool start() {
    if (run_command({"sh", "-c", "ip link show " + bridge_ + " >/dev/null 2>&1 || { ip link add " + bridge_ +
                                     " type bridge && ip addr add " + pool_prefix_ + "254.1/24 dev " + bridge_ +
                                     " && ip link set " + bridge_ + " up; }"})
            .exit_code != 0)
      return false;
    daemon_ = std::make_unique<BackgroundRun>(
        std::vector<std::string>{"/usr/sbin/dockerd", "--host", host(), "--data-root", (root_ / "data").string(),
                                 "--exec-root", (root_ / "exec").string(), "--pidfile",
                                 (root_ / "docker.pid").string(), "--bridge", bridge_, "--iptables=false",
                                 "--ip-masq=false", "--default-address-pool", "base=" + pool_prefix_ + "0.0/16,size=24"},
        root_ / "dockerd");
    for (auto deadline = std::chrono::steady_clock::now() + 45s; std::chrono::steady_clock::now() < deadline;) {
      if (docker({"version"}).exit_code == 0) {
        restore_shared_bridge();
        return true;
      }
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }
  // The engine disappears without a chance to clean up (as on a crash):
  // dockerd and its containerd; the containers' shims live on.
  void kill_hard() {
    if (daemon_) daemon_->signal(SIGKILL);
    if (daemon_) daemon_->wait();
    daemon_.reset();
    stop_containerd(SIGKILL);
  }
  void stop() {
    if (daemon_) {
      daemon_->signal(SIGTERM);
      daemon_->wait();
      daemon_.reset();
    }
    stop_containerd(SIGTERM);
  }
  // The containerd this dockerd started outlives a SIGKILL of dockerd;
  // stop exactly that one, by its pid file.
  void stop_containerd(int sig) {
    std::ifstream pid_file(root_ / "exec" / "containerd" / "containerd.pid");
    pid_t pid = 0;
    if (pid_file >> pid && pid > 1) {
      ::kill(pid, sig);
      for (int i = 0; i < 50 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(100ms);
    }
  }
  // dockerd leaves its data root bind-mounted (and, after a crash, overlay
  // and netns mounts): detach everything under the root, deepest first.
  void unmount_below_root() const {
    std::vector<std::string> points;
    std::ifstream mounts("/proc/self/mounts");
    for (std::string device, point, rest; mounts >> device >> point && std::getline(mounts, rest);)
      if (point.starts_with(root_.string() + "/")) points.push_back(point);
    std::sort(points.rbegin(), points.rend());
    for (const auto& point : points) ::umount2(point.c_str(), MNT_DETACH);
  }
  // A network being created when dockerd is killed can leave its bridge in
  // the host's namespace with no record of it: remove the bridges in this
  // engine's pool once it is stopped.
  void remove_leftover_bridges() const {
    auto addresses = run_command({"ip", "-o", "-4", "addr", "show"});
    std::istringstream lines(addresses.out);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string index, name, family, address;
      fields >> index >> name >> family >> address;
      if (name.starts_with("br-") && address.starts_with(pool_prefix_)) run_command({"ip", "link", "delete", name});
    }
    run_command({"ip", "link", "delete", bridge_});
    restore_shared_bridge();
  }
  // docker0 as it was before this engine started (address "172.17.0.1/16"),
  // re-created if it has gone.
  void restore_shared_bridge() const {
    if (shared_bridge_address_.empty() || run_command({"ip", "link", "show", "docker0"}).exit_code == 0) return;
    run_command({"sh", "-c", "ip link add docker0 type bridge && ip addr add " + shared_bridge_address_ +
                                 " dev docker0 && ip link set docker0 up"});
  }
  static std::string docker0_address() {
    auto shown = run_command({"ip", "-o", "-4", "addr", "show", "docker0"});
    std::istringstream fields(shown.out);
    std::string index, name, family, address;
    fields >> index >> name >> family >> address;
    return family == "inet" ? address : "";
  }
  std::string log() const { return daemon_ ? daemon_->err() : ""; }

  CommandResult docker(std::vector<std::string> args) const {
    args.insert(args.begin(), {"docker", "-H", host()});
    return run_command(args);
  }

 private:
  std::filesystem::path root_;
  std::string pool_prefix_;  // "10.N."
  std::string shared_bridge_address_ = docker0_address();
  std::string bridge_ = "berthrst" + std::to_string(getpid() % 100000);  // <= 15 chars
  std::unique_ptr<BackgroundRun> daemon_;
};

}  // namespace

TEST_CASE("the engine restarting in the middle of up and of logs -f: the next up converges", "[e2e][lifecycle][engine-restart]") {
  Stack stack("engine-restart", sleeping_services(8));
  PrivateEngine engine(std::filesystem::path("/tmp") / (stack.project() + "-dockerd"));
  if (!engine.start()) {
    WARN("a second dockerd cannot run here: " << engine.log());
    return;
  }
  auto loaded = run_command({"sh", "-c", std::string("docker save ") + busybox_image() + " | docker -H " +
                                             engine.host() + " load"});
  REQUIRE(loaded.exit_code == 0);

  {
    // One engine call at a time; the engine dies once the first container exists.
    auto argv = stack.argv({"--parallel", "1", "up", "-d"});
    argv.insert(argv.begin(), {"/usr/bin/env", engine.env()});
    BackgroundRun run(argv, stack.dir() / "first");
    for (int i = 0; i < 200; ++i) {
      if (!engine.docker({"ps", "-aq", "--filter", "label=com.docker.compose.project=" + stack.project()}).out.empty())
        break;
      std::this_thread::sleep_for(10ms);
    }
    engine.kill_hard();
    int code = run.wait();
    INFO(run.err());
    if (code == 0) WARN("up -d finished before the engine was killed");
    else CHECK(contains(run.err(), "berth:"));
  }
  // While the engine is away: a clear error naming it.
  auto away = stack.berth({"up", "-d"}, {engine.env()});
  CHECK(away.exit_code == 1);
  CHECK(contains(away.err, engine.host().substr(7)));

  bool restarted = engine.start();
  INFO(engine.log().substr(engine.log().size() > 3000 ? engine.log().size() - 3000 : 0));
  REQUIRE(restarted);
  auto again = stack.berth({"up", "-d"}, {engine.env()});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  auto ps = engine.docker({"ps", "-a", "--filter", "label=com.docker.compose.project=" + stack.project(), "--format",
                           "{{.Names}} {{.State}}"});
  INFO(ps.out);
  std::istringstream lines(ps.out);
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count)
    CHECK(std::regex_match(line, std::regex(stack.project() + "-s[0-7]-1 running")));
  CHECK(count == 8);

  // `logs -f` while the engine dies: it ends with an error, no hang; once
  // the engine is back, up converges again and logs work.
  {
    auto argv = stack.argv({"logs", "-f"});
    argv.insert(argv.begin(), {"/usr/bin/env", engine.env(), "/usr/bin/timeout", "-s", "KILL", "60"});
    BackgroundRun follow(argv, stack.dir() / "follow");
    std::this_thread::sleep_for(1s);
    engine.kill_hard();
    const int code = follow.wait();
    INFO(follow.err());
    CHECK(code == 1);
    CHECK(contains(follow.err(), "berth: "));
  }
  restarted = engine.start();
  REQUIRE(restarted);
  auto after_logs = stack.berth({"up", "-d"}, {engine.env()});
  INFO(after_logs.err);
  REQUIRE(after_logs.exit_code == 0);
  CHECK(stack.berth({"logs"}, {engine.env()}).exit_code == 0);

  auto down = stack.berth({"down", "-v", "-t", "1"}, {engine.env()});
  INFO(down.err);
  CHECK(down.exit_code == 0);
  const std::string label = "label=com.docker.compose.project=" + stack.project();
  CHECK(engine.docker({"ps", "-aq", "--filter", label}).out.empty());
  CHECK(engine.docker({"network", "ls", "-q", "--filter", label}).out.empty());
  CHECK(engine.docker({"volume", "ls", "-q", "--filter", label}).out.empty());
}
