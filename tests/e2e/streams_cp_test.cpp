// End-to-end: cp, stats, volumes, and run's --use-aliases/--env-from-file
// against the real engine.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "berth/engine/tar.h"
#include "support/tar_archive.h"
#include "lifecycle_fixture.h"

using namespace berth::e2e;
namespace fs = std::filesystem;

namespace {

std::string sleeper(const std::string& name, const std::string& extra = "") {
  return "  " + name + ":\n    image: " + busybox_image() +
         "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n" + extra;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("cp round-trips files and directory trees with their modes", "[e2e][streams][cp]") {
  Stack stack("cp", "services:\n" + sleeper("box", "    scale: 2\n"));
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  const auto local = stack.dir() / "local";
  fs::create_directories(local / "tree" / "sub");
  std::ofstream(local / "tree" / "a.txt") << "alpha\n";
  std::ofstream(local / "tree" / "sub" / "run.sh", std::ios::binary) << std::string("#!/bin/sh\n\x01\x02\n", 13);
  fs::create_symlink("a.txt", local / "tree" / "link");
  ::chmod((local / "tree" / "a.txt").c_str(), 0640);
  ::chmod((local / "tree" / "sub" / "run.sh").c_str(), 0755);
  ::chmod((local / "tree" / "sub").c_str(), 0750);
  std::ofstream(local / "file.txt") << "one file\n";

  SECTION("a directory into an existing directory of every replica, and back") {
    auto r = stack.berth({"cp", (local / "tree").string(), "box:/tmp"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    for (int index : {1, 2}) {
      auto check = stack.berth({"exec", "-T", "--index", std::to_string(index), "box", "sh", "-c",
                                "cat /tmp/tree/a.txt; stat -c '%a' /tmp/tree/a.txt /tmp/tree/sub /tmp/tree/sub/run.sh; "
                                "readlink /tmp/tree/link"});
      INFO(check.err);
      CHECK(check.out == "alpha\n640\n750\n755\na.txt\n");
    }
    const auto back = stack.dir() / "back";
    fs::create_directories(back);
    r = stack.berth({"cp", "--index", "2", "box:/tmp/tree", back.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(slurp(back / "tree" / "a.txt") == "alpha\n");
    CHECK(slurp(back / "tree" / "sub" / "run.sh") == std::string("#!/bin/sh\n\x01\x02\n", 13));
    CHECK(mode_of(back / "tree" / "a.txt") == 0640);
    CHECK(mode_of(back / "tree" / "sub") == 0750);
    CHECK(mode_of(back / "tree" / "sub" / "run.sh") == 0755);
    CHECK(fs::read_symlink(back / "tree" / "link") == "a.txt");
    // -L: what the link points to, under the link's name.
    const auto followed = stack.dir() / "followed";
    fs::create_directories(followed);
    r = stack.berth({"cp", "-L", "box:/tmp/tree/link", followed.string()});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(fs::is_regular_file(fs::symlink_status(followed / "link")));
    CHECK(slurp(followed / "link") == "alpha\n");
    // To a path that does not exist: the directory takes that name.
    r = stack.berth({"cp", "box:/tmp/tree", (back / "renamed").string()});
    REQUIRE(r.exit_code == 0);
    CHECK(slurp(back / "renamed" / "sub" / "run.sh") == std::string("#!/bin/sh\n\x01\x02\n", 13));
    // "/." copies the content only.
    r = stack.berth({"cp", "box:/tmp/tree/.", back.string()});
    REQUIRE(r.exit_code == 0);
    CHECK(slurp(back / "a.txt") == "alpha\n");
  }
  SECTION("a file under a new name, back, and as a tar stream") {
    auto r = stack.berth({"cp", (local / "file.txt").string(), "box:/tmp/renamed.txt"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(stack.berth({"exec", "-T", "box", "cat", "/tmp/renamed.txt"}).out == "one file\n");
    const auto copy = stack.dir() / "copy.txt";
    r = stack.berth({"cp", "box:/tmp/renamed.txt", copy.string()});
    REQUIRE(r.exit_code == 0);
    CHECK(slurp(copy) == "one file\n");
    r = stack.berth({"cp", "box:/tmp/renamed.txt", "-"});
    REQUIRE(r.exit_code == 0);
    auto entries = berth::test::read_tar(r.out);
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].name == "renamed.txt");
    CHECK(entries[0].content == "one file\n");
    // A tar stream on stdin goes into the directory.
    berth::test::TarWriter tar;
    tar.add_file("streamed.txt", "from stdin\n");
    auto in = run_command(stack.argv({"cp", "-", "box:/tmp"}), tar.finish());
    INFO(in.err);
    REQUIRE(in.exit_code == 0);
    CHECK(stack.berth({"exec", "-T", "box", "cat", "/tmp/streamed.txt"}).out == "from stdin\n");
    // Both replicas got it (stdin spooled), and one container reads it as it comes.
    CHECK(stack.berth({"exec", "-T", "--index", "2", "box", "cat", "/tmp/streamed.txt"}).out == "from stdin\n");
    berth::test::TarWriter one;
    one.add_file("only-two.txt", std::string(200000, 'q'));
    in = run_command(stack.argv({"cp", "--index", "2", "-", "box:/tmp"}), one.finish());
    INFO(in.err);
    REQUIRE(in.exit_code == 0);
    CHECK(stack.berth({"exec", "-T", "--index", "2", "box", "wc", "-c", "/tmp/only-two.txt"}).out ==
          "200000 /tmp/only-two.txt\n");
    CHECK(stack.berth({"exec", "-T", "--index", "1", "box", "test", "-e", "/tmp/only-two.txt"}).exit_code == 1);
  }
  SECTION("missing paths and bad arguments are errors") {
    auto r = stack.berth({"cp", "box:/nonexistent", stack.dir().string()});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "no such file or directory in container"));
    r = stack.berth({"cp", (local / "file.txt").string(), "box:/no/such/dir/x"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "/no/such/dir"));
    r = stack.berth({"cp", (local / "missing").string(), "box:/tmp"});
    CHECK(r.exit_code == 1);
    r = stack.berth({"cp", "a", "b"});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "SERVICE:PATH"));
    r = stack.berth({"cp", "--index", "3", "box:/tmp", stack.dir().string()});
    CHECK(r.exit_code == 1);
    CHECK(contains(r.err, "no container with index 3"));
  }
}

TEST_CASE("stats --no-stream and volumes list the project's containers and volumes", "[e2e][streams][stats][volumes]") {
  Stack stack("stats", "services:\n" + sleeper("busy", "    volumes: [\"data:/data\"]\n") +
                           "  done:\n    image: " + busybox_image() + "\n    command: [\"true\"]\n" +
                           "volumes:\n  data: {}\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"wait", "done"}).exit_code == 0);

  auto r = stack.berth({"stats", "--no-stream"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.starts_with("CONTAINER ID   NAME"));
  CHECK(contains(r.out, "MEM USAGE / LIMIT"));
  CHECK(contains(r.out, stack.container("busy")));
  CHECK(!contains(r.out, stack.container("done")));  // not running

  r = stack.berth({"stats", "--no-stream", "--all", "--no-trunc", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string line;
  std::set<std::string> names;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    names.insert(j.at("Name").get<std::string>());
    CHECK(j.at("ID").get<std::string>().size() == 64);
    CHECK(j.at("CPUPerc").get<std::string>().ends_with("%"));
    CHECK(contains(j.at("MemUsage").get<std::string>(), " / "));
    if (j["Name"] == stack.container("busy")) CHECK(j.at("PIDs") != "0");
  }
  CHECK(names == std::set<std::string>{stack.container("busy"), stack.container("done")});

  // Go templates, as docker stats takes them.
  r = stack.berth({"stats", "--no-stream", "--format", "table {{.Name}}\\t{{.PIDs}}\\t{{.MemPerc}}"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::string name = stack.container("busy");
  const std::string name_column = "NAME" + std::string(std::max<size_t>(10, name.size() + 3) - 4, ' ');
  CHECK(r.out.starts_with(name_column + "PIDS      MEM %\n" + name + std::string(name_column.size() - name.size(), ' ')));
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 2);
  r = stack.berth({"stats", "--no-stream", "--all", "--format", "{{.Container}}: {{.CPUPerc}} {{json .PIDs}}"});
  REQUIRE(r.exit_code == 0);
  CHECK(contains(r.out, stack.container("done") + ": "));
  CHECK(contains(r.out, stack.container("busy") + ": "));
  CHECK(contains(r.out, "% \""));
  r = stack.berth({"stats", "--no-stream", "--format", "{{.Name}} {{if .PIDs}}x{{end}}"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "unsupported --format action {{if .PIDs}}"));
  r = stack.berth({"stats", "--no-stream", "--format", "{{.Nope}}"});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "unknown field .Nope"));

  r = stack.berth({"volumes"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "DRIVER    VOLUME NAME\nlocal     " + stack.project() + "_data\n");
  CHECK(stack.berth({"volumes", "-q"}).out == stack.project() + "_data\n");
  CHECK(stack.berth({"volumes", "-q", "done"}).out.empty());
  auto json = nlohmann::json::parse(stack.berth({"volumes", "--format", "json"}).out);
  CHECK(json["Name"] == stack.project() + "_data");
  CHECK(json["Driver"] == "local");
}

TEST_CASE("run --use-aliases and --env-from-file", "[e2e][streams][run]") {
  Stack stack("runalias", "services:\n" + sleeper("web", "    networks:\n      default:\n        aliases: [webalias]\n"));
  std::ofstream(stack.dir() / "vars.env") << "A=1\nB=from file\n# comment\n";
  auto aliases_of = [&](const std::vector<std::string>& flags) {
    std::vector<std::string> args = {"run", "-d"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"web", "sleep", "30"});
    auto r = stack.berth(args);
    INFO(r.err);
    auto name = r.out.substr(0, r.out.find('\n'));
    auto json = stack.engine().inspect_container(name);
    auto network = json["NetworkSettings"]["Networks"][stack.project() + "_default"];
    return network["Aliases"].is_array() ? network["Aliases"].dump() : std::string();
  };
  CHECK(!contains(aliases_of({}), "webalias"));
  auto with = aliases_of({"--use-aliases"});
  CHECK(contains(with, "\"webalias\""));
  CHECK(contains(with, "\"web\""));

  auto r = stack.berth({"run", "--rm", "-T", "--env-from-file", (stack.dir() / "vars.env").string(), "-e", "B=flag",
                        "web", "sh", "-c", "echo $A $B"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "1 flag\n");
  // Flags after the service belong to the command.
  r = stack.berth({"run", "--rm", "-T", "-e", "A=2", "web", "sh", "-c", "echo $A \"$@\"", "x", "-e", "--rm"});
  CHECK(r.out == "2 -e --rm\n");
}

TEST_CASE("commit makes an image of a service container's changes, export its filesystem as a tar",
          "[e2e][streams][commit][export]") {
  Stack stack("commitexport", "services:\n  app:\n    image: " + std::string(busybox_image()) +
                                  "\n    command: [\"sleep\", \"3600\"]\n    stop_grace_period: 1s\n    user: root\n");
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  REQUIRE(stack.berth({"exec", "-T", "app", "sh", "-c", "echo committed > /marker"}).exit_code == 0);

  const std::string image = stack.project() + "-committed:v1";
  Cleanup remove_image([&] { run_command({"docker", "rmi", "-f", image}); });
  auto commit = stack.berth({"commit", "-m", "a test commit", "-a", "berth e2e", "-c", "ENV COMMITTED=yes", "app", image});
  INFO(commit.err);
  REQUIRE(commit.exit_code == 0);
  CHECK(commit.out.starts_with("sha256:"));
  auto run = run_command({"docker", "run", "--rm", "--network", "none", image, "sh", "-c", "cat /marker; echo $COMMITTED"});
  CHECK(run.out == "committed\nyes\n");
  auto inspect = stack.engine().inspect_image(image);
  CHECK(inspect["Comment"] == "a test commit");
  CHECK(inspect["Author"] == "berth e2e");
  CHECK(stack.berth({"commit", "--index", "2", "app", image}).exit_code == 1);

  const auto tar = stack.dir() / "fs.tar";
  auto exported = stack.berth({"export", "-o", tar.string(), "app"});
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK(!std::filesystem::exists(tar.string() + ".partial"));
  auto listing = run_command({"tar", "-tf", tar.string()});
  CHECK(contains(listing.out, "marker\n"));
  CHECK(contains(listing.out, "bin/busybox\n"));
  auto to_stdout = stack.berth({"export", "app"});
  CHECK(to_stdout.exit_code == 0);
  CHECK(to_stdout.out.size() > 100000);
  CHECK(contains(to_stdout.out, "committed\n"));  // /marker's content, in the archive
}
