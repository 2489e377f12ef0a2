// pull, push, images and down --rmi against a real registry (Debian's
// docker-registry on a loopback port, see local_registry.h) and the real
// engine.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "e2e_support.h"
#include "lifecycle_fixture.h"
#include "local_registry.h"

using namespace berth::e2e;

namespace {

// An image of its own (one layer on the base image no other image has), so
// a pull really downloads something and removing it touches nothing else.
// Returns its ID.
std::string make_unique_image(const std::string& reference, const std::string& content) {
  const std::string dockerfile = std::string("FROM ") + busybox_image() + "\nRUN echo " + content +
                                 " > /unique.txt\nCMD [\"sleep\", \"3600\"]\n";
  auto built = run_command({"docker", "build", "-q", "--network", "none", "-t", reference, "-"}, dockerfile,
                           {"DOCKER_BUILDKIT=0"});
  INFO(built.err);
  REQUIRE(built.exit_code == 0);
  auto id = run_command({"docker", "image", "inspect", "-f", "{{.Id}}", reference});
  REQUIRE(id.exit_code == 0);
  return id.out.substr(0, id.out.find('\n'));
}

bool image_exists(const std::string& reference) {
  return run_command({"docker", "image", "inspect", reference}).exit_code == 0;
}

void remove_image(const std::string& reference) { run_command({"docker", "rmi", "-f", reference}); }

std::string service_yaml(const std::string& name, const std::string& image, const std::string& extra = "") {
  return "  " + name + ":\n    image: " + image + "\n    command: [\"sleep\", \"3600\"]\n" + extra;
}

}  // namespace

TEST_CASE("images: push, pull with layer progress, images, down --rmi all", "[e2e][images][registry]") {
  LocalRegistry registry;
  const std::string ref = registry.host() + "/berth-test/" + unique_name("app") + ":v1";
  Cleanup remove_ref([&] { remove_image(ref); });
  const auto id = make_unique_image(ref, unique_name("content"));

  Stack stack("regapp", "services:\n" + service_yaml("app", ref, "    build:\n      context: .\n") +
                            service_yaml("plain", berth::e2e::busybox_image()));
  std::ofstream(stack.dir() / "Dockerfile") << "FROM " << busybox_image() << "\n";

  // push: only the service with build: and image:
  auto pushed = stack.berth({"push"});
  INFO(pushed.err);
  REQUIRE(pushed.exit_code == 0);
  CHECK_THAT(pushed.err, Catch::Contains(" Image " + ref + "  Pushed"));
  CHECK_THAT(pushed.err, Catch::Contains(" Service plain  Skipped"));

  remove_image(ref);
  REQUIRE_FALSE(image_exists(ref));

  // pull: the layer only this image has comes back, shown line by line
  auto pulled = stack.berth({"pull", "app"});
  INFO(pulled.err);
  REQUIRE(pulled.exit_code == 0);
  CHECK_THAT(pulled.err, Catch::Contains(" Image " + ref + "  Pulling"));
  CHECK_THAT(pulled.err, Catch::Contains("  Pull complete"));
  CHECK_THAT(pulled.err, Catch::Contains(" Image " + ref + "  Pulled"));
  REQUIRE(image_exists(ref));
  auto again = run_command({"docker", "image", "inspect", "-f", "{{.Id}}", ref});
  CHECK(again.out.substr(0, again.out.find('\n')) == id);

  // --policy missing: present, so skipped
  auto missing = stack.berth({"pull", "--policy", "missing", "app"});
  CHECK(missing.exit_code == 0);
  CHECK_THAT(missing.err, Catch::Contains("Skipped - Image is already present locally"));

  // images: the project's containers' images
  REQUIRE(stack.berth({"up", "-d"}).exit_code == 0);
  auto table = stack.berth({"images"});
  INFO(table.out);
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("CONTAINER"));
  CHECK_THAT(table.out, Catch::Contains("PLATFORM") && Catch::Contains("IMAGE ID") && Catch::Contains("SIZE"));
  CHECK_THAT(table.out, Catch::Contains(stack.project() + "-app-1"));
  CHECK_THAT(table.out, Catch::Contains(ref.substr(0, ref.rfind(':'))));
  CHECK_THAT(table.out, Catch::Contains(id.substr(7, 12)));
  auto json = stack.berth({"images", "--format", "json"});
  REQUIRE(json.exit_code == 0);
  auto list = nlohmann::json::parse(json.out);
  REQUIRE(list.size() == 2);
  CHECK(list[0]["ContainerName"] == stack.project() + "-app-1");
  CHECK(list[0]["ID"] == id);
  CHECK(list[0]["Tag"] == "v1");
  // CREATED is the image's creation time, as docker compose shows it; a
  // zero LastTagTime (what Docker 20.10 reports for pulled images) is left
  // out of the JSON, as docker compose leaves it out.
  CHECK_THAT(table.out, Catch::Contains(" ago\n"));
  auto dates = run_command({"docker", "image", "inspect", "-f", "{{.Created}}|{{.Metadata.LastTagTime}}", ref});
  const std::string created = dates.out.substr(0, dates.out.find('|'));
  const bool never_tagged = dates.out.find("|0001-01-01") != std::string::npos;
  CHECK(list[0]["Created"] == created);
  CHECK(list[0].contains("LastTagTime") != never_tagged);
  auto quiet = stack.berth({"images", "-q", "app"});
  CHECK(quiet.out == id.substr(7) + "\n");

  // down --rmi local leaves images with a name of their own; --rmi all
  // removes them (so the base image's service is dropped from the file first).
  auto down = stack.berth({"down", "--rmi", "local"});
  REQUIRE(down.exit_code == 0);
  CHECK(image_exists(ref));  // local: images with a custom name stay
  REQUIRE(stack.berth({"up", "-d", "app"}).exit_code == 0);
  stack.write("services:\n" + service_yaml("app", ref, "    build:\n      context: .\n"));
  auto down_all = stack.berth({"down", "--rmi", "all"});
  INFO(down_all.err);
  REQUIRE(down_all.exit_code == 0);
  CHECK_FALSE(image_exists(ref));
  CHECK(image_exists(busybox_image()));
}

TEST_CASE("images: down --rmi local removes the image named after a build service", "[e2e][images]") {
  Stack stack("rmilocal", "services:\n  app:\n    build:\n      context: .\n    command: [\"sleep\", \"3600\"]\n");
  std::ofstream(stack.dir() / "Dockerfile") << "FROM " << busybox_image() << "\n";
  const std::string local_image = stack.project() + "-app";
  // What a build would have made: the base image under the project's name.
  REQUIRE(run_command({"docker", "tag", busybox_image(), local_image}).exit_code == 0);
  Cleanup untag([&] { remove_image(local_image); });
  auto up = stack.berth({"up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  auto table = stack.berth({"images"});
  CHECK_THAT(table.out, Catch::Contains(local_image) && Catch::Contains("latest"));
  auto down = stack.berth({"down", "--rmi", "local"});
  INFO(down.err);
  REQUIRE(down.exit_code == 0);
  CHECK_THAT(down.err, Catch::Contains(" Image " + local_image + "  Removed"));
  CHECK_FALSE(image_exists(local_image));
  CHECK(image_exists(busybox_image()));
}

TEST_CASE("images: pull failures name the service and exit 1", "[e2e][images][registry]") {
  LocalRegistry registry;
  const std::string missing = registry.host() + "/berth-test/" + unique_name("nope") + ":v1";
  const std::string buildable = registry.host() + "/berth-test/" + unique_name("nope-built") + ":v1";
  Stack stack("regfail", "services:\n" + service_yaml("web", missing) +
                             service_yaml("api", buildable, "    build:\n      context: .\n"));
  std::ofstream(stack.dir() / "Dockerfile") << "FROM " << busybox_image() << "\n";

  auto pulled = stack.berth({"pull"});
  INFO(pulled.err);
  CHECK(pulled.exit_code == 1);
  CHECK_THAT(pulled.err, Catch::Contains("service \"web\": pulling " + missing));
  CHECK_THAT(pulled.err, Catch::Contains(" Image " + buildable + "  Warning"));
  CHECK_THAT(pulled.err, Catch::Contains("must be built from source") && Catch::Contains("berth build api"));

  auto ignored = stack.berth({"pull", "--ignore-pull-failures"});
  INFO(ignored.err);
  CHECK(ignored.exit_code == 0);

  auto skipped = stack.berth({"pull", "--ignore-buildable", "api"});
  CHECK(skipped.exit_code == 0);
  CHECK_THAT(skipped.err, Catch::Contains("Skipped - Image can be built"));
}

TEST_CASE("images: a registry that is down is a clear error", "[e2e][images]") {
  const std::string image = "127.0.0.1:" + std::to_string(LocalRegistry::closed_port()) + "/berth-test/x:v1";
  Stack stack("regdown", "services:\n" + service_yaml("web", image));
  auto pulled = stack.berth({"pull"});
  INFO(pulled.err);
  CHECK(pulled.exit_code == 1);
  CHECK_THAT(pulled.err, Catch::Contains("service \"web\"") && Catch::Contains("connection refused") &&
                             Catch::Contains("is the registry 127.0.0.1:"));
}

TEST_CASE("images: pull_policy always sees a new digest and up recreates", "[e2e][images][registry]") {
  LocalRegistry registry;
  const std::string ref = registry.host() + "/berth-test/" + unique_name("moving") + ":v1";
  Cleanup remove_ref([&] { remove_image(ref); });
  const auto first = make_unique_image(ref, unique_name("first"));
  REQUIRE(run_command({"docker", "push", ref}).exit_code == 0);

  Stack stack("regalways", "services:\n" + service_yaml("app", ref, "    pull_policy: always\n"));
  auto up = stack.berth({"up", "-d"});
  INFO(up.err);
  REQUIRE(up.exit_code == 0);
  auto created = stack.containers();
  REQUIRE(created.size() == 1);
  CHECK(created[0].image_id == first);

  // The registry gets a new image under the same tag; locally the tag stays
  // on the first one.
  const auto second = make_unique_image(ref, unique_name("second"));
  Cleanup remove_second([&] { remove_image(second); });
  REQUIRE(run_command({"docker", "push", ref}).exit_code == 0);
  REQUIRE(run_command({"docker", "tag", first, ref}).exit_code == 0);

  auto again = stack.berth({"up", "-d"});
  INFO(again.err);
  REQUIRE(again.exit_code == 0);
  CHECK_THAT(again.err, Catch::Contains(" Image " + ref + "  Pulled"));
  auto recreated = stack.containers();
  REQUIRE(recreated.size() == 1);
  CHECK(recreated[0].image_id == second);
  CHECK(recreated[0].id != created[0].id);
  remove_image(first);
}

TEST_CASE("images: credentials from DOCKER_CONFIG for a registry that wants them", "[e2e][images][registry]") {
  // A bcrypt line for berth:s3cret, made by the system's crypt(3)
  // (libxcrypt); the lowest cost, since the registry checks it on every request.
  auto hash = run_command(
      {"python3", "-W", "ignore", "-c",
       "import crypt; print(crypt.crypt('s3cret', crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))"});
  REQUIRE(hash.exit_code == 0);
  LocalRegistry registry("berth:" + hash.out.substr(0, hash.out.find('\n')));
  const std::string ref = registry.host() + "/berth-test/" + unique_name("private") + ":v1";
  Cleanup remove_ref([&] { remove_image(ref); });
  make_unique_image(ref, unique_name("private"));

  Stack stack("regauth", "services:\n" + service_yaml("app", ref, "    build:\n      context: .\n"));
  std::ofstream(stack.dir() / "Dockerfile") << "FROM " << busybox_image() << "\n";
  auto config_dir = [&](const std::string& name, const std::string& json) {
    auto dir = stack.dir() / name;
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "config.json") << json;
    return "DOCKER_CONFIG=" + dir.string();
  };
  const auto with_auth = config_dir("auth", R"({"auths": {")" + registry.host() + R"(": {"auth": "YmVydGg6czNjcmV0"}}})");
  const auto without = config_dir("none", "{}");
  const auto helper = config_dir("helper", R"({"credsStore": "desktop"})");

  auto refused = stack.berth({"push"}, {without});
  INFO(refused.err);
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("service \"app\": pushing " + ref));

  auto pushed = stack.berth({"push"}, {with_auth});
  INFO(pushed.err);
  REQUIRE(pushed.exit_code == 0);

  remove_image(ref);
  auto named_helper = stack.berth({"pull"}, {helper});
  INFO(named_helper.err);
  CHECK(named_helper.exit_code == 1);
  CHECK_THAT(named_helper.err,
             Catch::Contains("docker-credential-desktop") && Catch::Contains("not supported by berth"));

  auto pulled = stack.berth({"pull"}, {with_auth});
  INFO(pulled.err);
  REQUIRE(pulled.exit_code == 0);
  CHECK(image_exists(ref));
}

TEST_CASE("images: build.pull builds on the registry's newer base image", "[e2e][images][registry][build]") {
  LocalRegistry registry;
  const std::string base = registry.host() + "/berth-test/" + unique_name("base") + ":v1";
  Cleanup remove_base([&] { remove_image(base); });
  const std::string first_text = unique_name("first"), second_text = unique_name("second");
  const auto first = make_unique_image(base, first_text);
  Cleanup remove_first([&] { remove_image(first); });
  // The registry gets a newer base under the same tag; locally the tag stays on the first.
  const auto second = make_unique_image(base, second_text);
  Cleanup remove_second([&] { remove_image(second); });
  REQUIRE(run_command({"docker", "push", base}).exit_code == 0);
  REQUIRE(run_command({"docker", "tag", first, base}).exit_code == 0);

  auto compose = [&](bool pull) {
    return "services:\n  app:\n    build:\n      context: .\n      dockerfile_inline: \"FROM " + base + "\"\n" +
           (pull ? "      pull: true\n" : "");
  };
  Stack stack("regbuildpull", compose(false));
  const std::string image = stack.project() + "-app";
  Cleanup remove_built([&] { remove_image(image); });
  auto unique_text = [&] {
    auto run = run_command({"docker", "run", "--rm", "--network", "none", image, "cat", "/unique.txt"});
    INFO(run.err);
    CHECK(run.exit_code == 0);
    return run.out;
  };

  auto local = stack.berth({"build"});
  INFO(local.err);
  REQUIRE(local.exit_code == 0);
  CHECK(unique_text() == first_text + "\n");
  // The next build takes the tag away from this one: remove it by ID.
  auto built_first = run_command({"docker", "image", "inspect", "-f", "{{.Id}}", image});
  const std::string built_first_id = built_first.out.substr(0, built_first.out.find('\n'));
  Cleanup remove_built_first([&] { remove_image(built_first_id); });

  stack.write(compose(true));
  auto pulled = stack.berth({"build"});
  INFO(pulled.err);
  REQUIRE(pulled.exit_code == 0);
  CHECK(unique_text() == second_text + "\n");
}

TEST_CASE("images: push --include-deps also pushes the named services' dependencies", "[e2e][images][registry]") {
  LocalRegistry registry;
  const std::string front = registry.host() + "/berth-test/" + unique_name("front") + ":v1";
  const std::string back = registry.host() + "/berth-test/" + unique_name("back") + ":v1";
  Cleanup remove_refs([&] {
    remove_image(front);
    remove_image(back);
  });
  make_unique_image(front, unique_name("front"));
  make_unique_image(back, unique_name("back"));
  Stack stack("pushdeps", "services:\n" +
                              service_yaml("front", front, "    build: .\n    depends_on: [back]\n") +
                              service_yaml("back", back, "    build: .\n"));
  std::ofstream(stack.dir() / "Dockerfile") << "FROM " << busybox_image() << "\n";

  auto alone = stack.berth({"push", "front"});
  INFO(alone.err);
  REQUIRE(alone.exit_code == 0);
  CHECK_THAT(alone.err, Catch::Contains(" Image " + front + "  Pushed"));
  CHECK_THAT(alone.err, !Catch::Contains(back));

  auto with_deps = stack.berth({"push", "--include-deps", "front"});
  INFO(with_deps.err);
  REQUIRE(with_deps.exit_code == 0);
  CHECK_THAT(with_deps.err, Catch::Contains(" Image " + back + "  Pushed"));
}
