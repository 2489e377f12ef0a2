// berth init, the acceptance path of issue 8: a directory holding a small
// Python app → berth init → `berth --env dev up -d --build --wait` → the
// app answers on loopback, and what the dev container writes into the bind
// mount belongs to the invoking user.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "e2e_support.h"
#include "example_stack.h"
#include "lifecycle_fixture.h"

using namespace berth::e2e;
namespace fs = std::filesystem;

namespace {

const char* kApp = R"(import os
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("hello from init, APP_ENV=%s\n" % os.environ.get("APP_ENV")).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


HTTPServer(("0.0.0.0", int(os.environ["PORT"])), Hello).serve_forever()
)";


std::string get(const std::string& url) {
  std::string body;
  for (int i = 0; i < 10 && body.empty(); ++i) {
    body = run_command({"curl", "-sf", "--max-time", "3", url}).out;
    if (body.empty()) run_command({"sleep", "0.5"});
  }
  return body;
}

}  // namespace

TEST_CASE("berth init: a Python app comes up in dev with the source mounted and files owned by the user",
          "[e2e][init]") {
  TempDir dir("init");
  dir.write("app.py", kApp);
  dir.write("requirements.txt", "");  // no third-party packages: pip has no index here

  auto init = run_berth({"init", dir.path.string()});
  INFO(init.out << init.err);
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.find("Detected a Python app (requirements.txt, app.py)") != std::string::npos);
  for (const char* name : {"Dockerfile", ".dockerignore", "compose.yaml", "dev.yml", "watch.yml", "docker-entrypoint.sh"})
    CHECK(fs::exists(dir.path / name));
  CHECK((fs::status(dir.path / "docker-entrypoint.sh").permissions() & fs::perms::owner_exec) != fs::perms::none);

  // Never overwrites without --force; --dry-run only lists.
  auto again = run_berth({"init", dir.path.string()});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already exist") != std::string::npos);
  CHECK(again.err.find("--force") != std::string::npos);
  auto dry = run_berth({"--dry-run", "init", dir.path.string()});
  CHECK(dry.exit_code == 0);
  CHECK(dry.out.find("would overwrite") != std::string::npos);

  std::string compose = (dir.path / "compose.yaml").string();
  std::string port = test_port(13);
  // The developer: when the test runs as root, a made-up user owns the
  // project, as a developer's checkout would be theirs.
  uid_t uid = geteuid() == 0 ? 1234 : geteuid();
  gid_t gid = geteuid() == 0 ? 1234 : getegid();
  if (geteuid() == 0) fs::permissions(dir.path, fs::perms::all, fs::perm_options::replace);
  if (geteuid() == 0) REQUIRE(::chown(dir.path.c_str(), uid, gid) == 0);
  ExampleStack stack({compose}, {"APP_PORT=" + port, "UID=" + std::to_string(uid), "GID=" + std::to_string(gid)},
                     "init");

  // What init writes passes the audit at high under the default level.
  auto audit = stack.berth({"audit", "--fail-on", "high"});
  INFO(audit.out << audit.err);
  CHECK(audit.exit_code == 0);

  auto up = stack.berth({"--env", "dev", "up", "-d", "--build", "--wait"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(get("http://127.0.0.1:" + port + "/") == "hello from init, APP_ENV=development\n");

  auto write = stack.berth({"--env", "dev", "exec", "-T", "app", "python3", "-c",
                            "open('/app/written-in-dev', 'w').write('x')"});
  INFO(write.err);
  REQUIRE(write.exit_code == 0);
  struct stat st {};
  REQUIRE(::stat((dir.path / "written-in-dev").c_str(), &st) == 0);
  CHECK(st.st_uid == uid);
  CHECK(st.st_gid == gid);

  auto ps = stack.berth({"--env", "dev", "ps", "--format", "json"});
  CHECK(ps.out.find("-shell-1") != std::string::npos);  // the dev sidecar

  CHECK(stack.berth({"--env", "dev", "down", "-v", "-t", "0"}).exit_code == 0);
}

TEST_CASE("berth init: a static site is served by busybox httpd as a non-root user", "[e2e][init]") {
  TempDir dir("init");
  dir.write("index.html", "<h1>static from init</h1>\n");
  auto init = run_berth({"init", "--port", "8090", dir.path.string()});
  INFO(init.out << init.err);
  REQUIRE(init.exit_code == 0);
  CHECK(init.out.find("Detected a static site (index.html)") != std::string::npos);

  std::string port = test_port(14);
  ExampleStack stack({(dir.path / "compose.yaml").string()}, {"APP_PORT=" + port}, "initweb");
  CHECK(stack.berth({"audit", "--fail-on", "high"}).exit_code == 0);
  auto up = stack.berth({"up", "-d", "--build", "--wait"});
  INFO(up.out << up.err);
  REQUIRE(up.exit_code == 0);
  CHECK(get("http://127.0.0.1:" + port + "/") == "<h1>static from init</h1>\n");
  auto user = run_command({"docker", "inspect", "-f", "{{.Config.User}}", stack.project + "-web-1"});
  CHECK(user.out == "10001:10001\n");  // the image's web user, also named in compose.yaml
  CHECK(stack.berth({"down", "-v", "-t", "0"}).exit_code == 0);

  // The watch environment: a saved page is served at once, owned by the web user.
  std::vector<std::string> argv = {"/usr/bin/timeout", "300", "/usr/bin/env"};
  argv.insert(argv.end(), stack.env.begin(), stack.env.end());
  argv.insert(argv.end(), {BERTH_BINARY, "-f", (dir.path / "compose.yaml").string(), "-p", stack.project, "--progress",
                           "plain", "--env", "watch", "watch"});
  BackgroundRun watch(argv, dir.path / "watch-run");
  bool ready = false;
  for (int i = 0; i < 1200 && !ready; ++i) {
    ready = watch.err().find("Watch enabled") != std::string::npos;
    if (!ready) run_command({"sleep", "0.1"});
  }
  INFO(watch.err());
  REQUIRE(ready);
  dir.write("index.html", "<h1>watched</h1>\n");
  std::string page;
  for (int i = 0; i < 100 && page != "<h1>watched</h1>\n"; ++i) {
    page = get("http://127.0.0.1:" + port + "/");
    if (page != "<h1>watched</h1>\n") run_command({"sleep", "0.1"});
  }
  CHECK(page == "<h1>watched</h1>\n");
  CHECK(run_command({"docker", "exec", stack.project + "-web-1", "stat", "-c", "%u", "/srv/www/index.html"}).out ==
        "10001\n");
  watch.signal(SIGINT);
  CHECK(watch.wait() == 0);
}
