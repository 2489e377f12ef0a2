#include "loader/yaml_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "loader/yaml_reader.h"

using berth::loader::cache_yaml_documents;
using berth::loader::cached_yaml_documents;
using berth::loader::decode_yaml_documents;
using berth::loader::encode_yaml_documents;
using berth::loader::kMinCachedBytes;
using berth::loader::Node;
using berth::loader::read_yaml_documents;
using berth::loader::read_yaml_file;

namespace {

// Everything the reader records: kind, style, tag, text and every mark.
std::string describe(const Node& n) {
  std::string out = std::to_string(static_cast<int>(n.kind())) + "/" + std::to_string(static_cast<int>(n.style())) +
                    "/" + std::to_string(static_cast<int>(n.tag())) + "@" + n.mark().to_string();
  switch (n.kind()) {
    case Node::Kind::Null: break;
    case Node::Kind::Scalar: out += "'" + n.text() + "'"; break;
    case Node::Kind::Sequence:
      out += "[";
      for (const auto& item : n.items()) out += describe(item) + ",";
      out += "]";
      break;
    case Node::Kind::Mapping:
      out += "{";
      for (const auto& e : n.entries()) out += e.key + "@" + e.key_mark.to_string() + ":" + describe(e.value) + ",";
      out += "}";
      break;
  }
  return out;
}

std::string describe(const std::vector<Node>& documents) {
  std::string out;
  for (const auto& d : documents) out += describe(d) + "\n---\n";
  return out;
}

// A file big enough to be cached, using anchors, merge keys, tags, quoted
// and block scalars and several documents.
std::string large_compose_text() {
  std::string text = "x-base: &base\n  restart: always\nservices:\n";
  for (int i = 0; i < 300; ++i) {
    text += "  svc" + std::to_string(i) + ":\n    <<: *base\n    image: \"busybox:" + std::to_string(i) +
            "\"\n    command: |\n      echo one\n      echo two\n    user: !reset null\n"
            "    ports: !override ['8080:80']\n    environment: {A: 1, B: ~, C: 'x y'}\n";
  }
  text += "---\nservices:\n  svc0:\n    image: other\n";
  return text;
}

struct TempCacheDir {
  std::filesystem::path dir;
  TempCacheDir() {
    char pattern[] = "/tmp/berth-yaml-cache-test-XXXXXX";
    dir = ::mkdtemp(pattern);
    ::setenv("BERTH_CACHE_DIR", dir.c_str(), 1);
    ::unsetenv("BERTH_NO_CACHE");
  }
  ~TempCacheDir() {
    ::unsetenv("BERTH_CACHE_DIR");
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  std::vector<std::filesystem::path> entries() const {
    std::vector<std::filesystem::path> out;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir / "yaml", ec)) out.push_back(e.path());
    return out;
  }
};

}  // namespace

TEST_CASE("yaml cache encoding round-trips every node detail", "[loader][yaml_cache]") {
  const std::string text = large_compose_text();
  const auto documents = read_yaml_documents(text, "a/compose.yaml");
  const auto decoded = decode_yaml_documents(encode_yaml_documents(documents), "a/compose.yaml");
  REQUIRE(decoded);
  CHECK(describe(*decoded) == describe(documents));

  SECTION("marks name the file the entry is used for") {
    const auto elsewhere = decode_yaml_documents(encode_yaml_documents(documents), "b/other.yaml");
    REQUIRE(elsewhere);
    CHECK(elsewhere->front().mark().file == "b/other.yaml");
    CHECK(elsewhere->front().entries().front().key_mark.file == "b/other.yaml");
  }
}

TEST_CASE("yaml cache decoding refuses damaged bytes without crashing", "[loader][yaml_cache]") {
  const auto documents = read_yaml_documents("services:\n  a:\n    image: x\n    ports: ['1:2']\n", "c.yaml");
  const std::string bytes = encode_yaml_documents(documents);
  // Every truncation, and a byte flipped at every position, gives either
  // nothing or some tree: never a crash or an unbounded allocation.
  for (std::size_t cut = 0; cut < bytes.size(); ++cut) CHECK_FALSE(decode_yaml_documents(bytes.substr(0, cut), "c.yaml"));
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0xff);
    (void)decode_yaml_documents(damaged, "c.yaml");
  }
  CHECK_FALSE(decode_yaml_documents(bytes + "x", "c.yaml"));
}

TEST_CASE("read_yaml_file gives the same trees from the cache as from parsing", "[loader][yaml_cache]") {
  TempCacheDir cache;
  const std::string text = large_compose_text();
  REQUIRE(text.size() >= kMinCachedBytes);
  const std::string path = (cache.dir / "compose.yaml").string();
  std::ofstream(path) << text;

  const auto parsed = read_yaml_file(path);
  REQUIRE(cache.entries().size() == 1);
  const auto from_cache = cached_yaml_documents(text, path, {});
  REQUIRE(from_cache);
  CHECK(describe(*from_cache) == describe(parsed));
  CHECK(describe(read_yaml_file(path)) == describe(parsed));

  SECTION("a changed file is parsed again, never served stale") {
    std::string changed = text;
    changed.replace(changed.find("busybox:0"), 9, "busybox:Z");
    std::ofstream(path) << changed;
    const auto reread = read_yaml_file(path);
    CHECK(describe(reread).find("busybox:Z") != std::string::npos);
    CHECK(cache.entries().size() == 2);
  }
  SECTION("different reading limits do not share entries") {
    berth::loader::ReadLimits other;
    other.max_depth = 50;
    CHECK_FALSE(cached_yaml_documents(text, path, other));
  }
  SECTION("a damaged entry is ignored") {
    for (const auto& entry : cache.entries()) std::filesystem::resize_file(entry, 100);
    CHECK_FALSE(cached_yaml_documents(text, path, {}));
    CHECK(describe(read_yaml_file(path)) == describe(parsed));
  }
  SECTION("an entry others can write is not trusted") {
    for (const auto& entry : cache.entries()) ::chmod(entry.c_str(), 0666);
    CHECK_FALSE(cached_yaml_documents(text, path, {}));
  }
  SECTION("BERTH_NO_CACHE=1 turns it off") {
    ::setenv("BERTH_NO_CACHE", "1", 1);
    CHECK_FALSE(cached_yaml_documents(text, path, {}));
    ::unsetenv("BERTH_NO_CACHE");
  }
}

TEST_CASE("yaml cache leaves small files and bad files alone", "[loader][yaml_cache]") {
  TempCacheDir cache;
  const std::string small_path = (cache.dir / "small.yaml").string();
  std::ofstream(small_path) << "services:\n  a:\n    image: x\n";
  read_yaml_file(small_path);
  CHECK(cache.entries().empty());

  const std::string bad_path = (cache.dir / "bad.yaml").string();
  std::ofstream(bad_path) << large_compose_text() << "services: [\n";
  CHECK_THROWS(read_yaml_file(bad_path));
  CHECK(cache.entries().empty());
  // The error is reported again, from the parser, on the next read.
  CHECK_THROWS(read_yaml_file(bad_path));
}

TEST_CASE("yaml cache creates nothing in a directory tree that is not the user's", "[loader][yaml_cache]") {
  if (::geteuid() == 0) {
    // root owns every directory it could be pointed at here: what is
    // checked is that a foreign owner stops creation, so make one.
    TempCacheDir cache;
    const auto foreign = cache.dir / "foreign";
    std::filesystem::create_directories(foreign);
    REQUIRE(::chown(foreign.c_str(), 12345, 12345) == 0);
    ::setenv("BERTH_CACHE_DIR", (foreign / "berth").c_str(), 1);
    const std::string text = large_compose_text();
    cache_yaml_documents(text, read_yaml_documents(text, "c.yaml"), {});
    CHECK_FALSE(std::filesystem::exists(foreign / "berth"));
  }
}
