#include "yaml_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <ctime>
#include <random>

namespace berth::loader {

namespace {

constexpr std::string_view kMagic = "berth-yaml-cache";
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::size_t kMaxEntries = 256;
// Deeper than any tree the reader accepts (ReadLimits::max_depth), so a
// damaged entry cannot recurse without bound.
constexpr int kMaxDecodeDepth = 4096;

class Encoder {
 public:
  std::string out;

  void u8(std::uint8_t v) { out.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v) { raw(&v, sizeof v); }
  void u64(std::uint64_t v) { raw(&v, sizeof v); }
  void text(std::string_view s) {
    u64(s.size());
    out.append(s);
  }
  void mark(const SourceMark& m) {
    u32(static_cast<std::uint32_t>(m.line));
    u32(static_cast<std::uint32_t>(m.column));
  }
  void node(const Node& n) {
    u8(static_cast<std::uint8_t>(n.kind()));
    u8(static_cast<std::uint8_t>(n.style()));
    u8(static_cast<std::uint8_t>(n.tag()));
    mark(n.mark());
    switch (n.kind()) {
      case Node::Kind::Null: break;
      case Node::Kind::Scalar: text(n.text()); break;
      case Node::Kind::Sequence:
        u64(n.items().size());
        for (const auto& item : n.items()) node(item);
        break;
      case Node::Kind::Mapping:
        u64(n.entries().size());
        for (const auto& entry : n.entries()) {
          text(entry.key);
          mark(entry.key_mark);
          node(entry.value);
        }
        break;
    }
  }

 private:
  void raw(const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }
};

// Reads what Encoder wrote; every read is bounds-checked and a failure
// sticks (ok() false), so damaged bytes end in nullopt, never a crash.
class Decoder {
 public:
  Decoder(std::string_view in, const std::string& file) : in_(in), file_(file) {}

  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

  std::uint8_t u8() {
    std::uint8_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t v = 0;
    raw(&v, sizeof v);
    return v;
  }
  std::string_view text() {
    const std::uint64_t n = u64();
    if (!ok_ || n > in_.size() - pos_) return fail(), std::string_view();
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  SourceMark mark() {
    const int line = static_cast<int>(u32());
    const int column = static_cast<int>(u32());
    return SourceMark{file_, line, column};
  }
  // A count of items that each take at least `min_bytes`: bounded by what is
  // left, so a damaged count cannot make us reserve unbounded memory.
  std::uint64_t count(std::size_t min_bytes) {
    const std::uint64_t n = u64();
    if (!ok_ || n > (in_.size() - pos_) / min_bytes) return fail(), 0;
    return n;
  }

  Node node(int depth = 0) {
    if (depth > kMaxDecodeDepth) return fail(), Node();
    const auto kind = u8(), style = u8(), tag = u8();
    SourceMark where = mark();
    if (!ok_ || kind > 3 || style > 1 || tag > 2) return fail(), Node();
    Node n;
    switch (static_cast<Node::Kind>(kind)) {
      case Node::Kind::Null: n = Node::null(std::move(where)); break;
      case Node::Kind::Scalar:
        n = Node::scalar(std::string(text()), static_cast<Node::Style>(style), std::move(where));
        break;
      case Node::Kind::Sequence: {
        n = Node::sequence(std::move(where));
        const auto items = count(kNodeHeaderBytes);
        n.items().reserve(items);
        for (std::uint64_t i = 0; i < items && ok_; ++i) n.push_back(node(depth + 1));
        break;
      }
      case Node::Kind::Mapping: {
        n = Node::mapping(std::move(where));
        const auto entries = count(kNodeHeaderBytes + 16);
        n.entries().reserve(entries);
        for (std::uint64_t i = 0; i < entries && ok_; ++i) {
          std::string key(text());
          SourceMark key_mark = mark();
          Node value = node(depth + 1);
          n.entries().push_back(Node::Entry{std::move(key), std::move(key_mark), std::move(value)});
        }
        break;
      }
    }
    n.set_tag(static_cast<Node::Tag>(tag));
    return n;
  }

 private:
  static constexpr std::size_t kNodeHeaderBytes = 3 + 8;

  void fail() { ok_ = false; }
  void raw(void* p, std::size_t n) {
    if (!ok_ || n > in_.size() - pos_) return fail();
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
  }

  std::string_view in_;
  const std::string& file_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// Identifies the running binary: an entry written by another build of
// berth (whose reader may differ) is never used.
struct BinaryIdentity {
  std::uint64_t device = 0, inode = 0, size = 0, mtime_ns = 0;
};

const std::optional<BinaryIdentity>& this_binary() {
  static const std::optional<BinaryIdentity> identity = []() -> std::optional<BinaryIdentity> {
    struct stat st {};
    if (::stat("/proc/self/exe", &st) != 0) return std::nullopt;
    return BinaryIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                          static_cast<std::uint64_t>(st.st_size),
                          static_cast<std::uint64_t>(st.st_mtim.tv_sec) * 1'000'000'000u +
                              static_cast<std::uint64_t>(st.st_mtim.tv_nsec)};
  }();
  return identity;
}

void write_header(Encoder& e, std::string_view content, const ReadLimits& limits) {
  const BinaryIdentity& id = *this_binary();
  e.out.append(kMagic);
  e.u32(kFormatVersion);
  e.u64(id.device);
  e.u64(id.inode);
  e.u64(id.size);
  e.u64(id.mtime_ns);
  e.u64(limits.max_bytes);
  e.u64(limits.max_nodes);
  e.u64(limits.max_depth);
  e.text(content);
}

// The cache directory when the cache is usable: ours (owned by this user,
// not writable by others), created on first use when `create`.
std::optional<std::string> cache_dir(bool create) {
  if (const char* off = std::getenv("BERTH_NO_CACHE"); off && *off && std::string_view(off) != "0")
    return std::nullopt;
  if (!this_binary()) return std::nullopt;
  std::string base;
  if (const char* dir = std::getenv("BERTH_CACHE_DIR"); dir && *dir) base = dir;
  else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') base = std::string(xdg) + "/berth";
  else if (const char* home = std::getenv("HOME"); home && *home == '/') base = std::string(home) + "/.cache/berth";
  else return std::nullopt;
  const std::string dir = base + "/yaml";
  auto ours = [](const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
           (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
  };
  if (ours(dir)) return dir;
  if (!create) return std::nullopt;
  // Never create directories in someone else's tree (e.g. root under sudo
  // with the user's HOME would leave a root-owned ~/.cache behind): the
  // nearest existing ancestor must be ours, or a sticky directory like /tmp.
  std::string ancestor = base;
  struct stat ancestor_stat {};
  while (::stat(ancestor.c_str(), &ancestor_stat) != 0) {
    const auto slash = ancestor.rfind('/');
    if (slash == std::string::npos || slash == 0) return std::nullopt;
    ancestor.resize(slash);
  }
  if (ancestor_stat.st_uid != ::geteuid() && (ancestor_stat.st_mode & S_ISVTX) == 0) return std::nullopt;
  // mkdir -p; only the last two levels get our private mode.
  for (std::size_t slash = base.find('/', 1); slash != std::string::npos; slash = base.find('/', slash + 1))
    ::mkdir(base.substr(0, slash).c_str(), 0755);
  ::mkdir(base.c_str(), 0700);
  ::mkdir(dir.c_str(), 0700);
  return ours(dir) ? std::optional(dir) : std::nullopt;
}

std::string entry_name(std::string_view content) {
  char name[32];
  std::snprintf(name, sizeof name, "%016zx", std::hash<std::string_view>{}(content));
  return name;
}

std::optional<std::string> read_entry(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  std::optional<std::string> bytes;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == ::geteuid() &&
      (st.st_mode & (S_IWGRP | S_IWOTH)) == 0 && st.st_size < (1 << 30)) {
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    if (done == data.size()) bytes = std::move(data);
  }
  ::close(fd);
  return bytes;
}

// Keeps the directory small: past kMaxEntries, the least recently used half
// goes (a hit refreshes an entry's mtime).
void prune(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  std::vector<std::pair<std::int64_t, std::string>> entries;
  const std::int64_t an_hour_ago = static_cast<std::int64_t>(::time(nullptr)) - 3600;
  while (const dirent* e = ::readdir(d)) {
    const std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    // Left behind by a writer that was killed before its rename.
    if (name.starts_with(".tmp-")) {
      if (st.st_mtim.tv_sec < an_hour_ago) ::unlinkat(::dirfd(d), e->d_name, 0);
      continue;
    }
    entries.emplace_back(static_cast<std::int64_t>(st.st_mtim.tv_sec), e->d_name);
  }
  ::closedir(d);
  if (entries.size() <= kMaxEntries) return;
  std::sort(entries.begin(), entries.end());
  for (std::size_t i = 0; i < entries.size() - kMaxEntries / 2; ++i)
    ::unlink((dir + "/" + entries[i].second).c_str());
}

}  // namespace

std::string encode_yaml_documents(const std::vector<Node>& documents) {
  Encoder e;
  e.u64(documents.size());
  for (const auto& document : documents) e.node(document);
  return std::move(e.out);
}

std::optional<std::vector<Node>> decode_yaml_documents(std::string_view bytes, const std::string& file_name) {
  Decoder d(bytes, file_name);
  std::vector<Node> documents;
  const auto count = d.count(11);
  for (std::uint64_t i = 0; i < count && d.ok(); ++i) documents.push_back(d.node());
  if (!d.ok() || !d.at_end()) return std::nullopt;
  return documents;
}

std::optional<std::vector<Node>> cached_yaml_documents(std::string_view content, const std::string& file_name,
                                                       const ReadLimits& limits) {
  if (content.size() < kMinCachedBytes) return std::nullopt;
  auto dir = cache_dir(false);
  if (!dir) return std::nullopt;
  const std::string path = *dir + "/" + entry_name(content);
  auto bytes = read_entry(path);
  if (!bytes) return std::nullopt;
  Encoder expected;
  write_header(expected, content, limits);
  if (bytes->size() < expected.out.size() ||
      std::memcmp(bytes->data(), expected.out.data(), expected.out.size()) != 0)
    return std::nullopt;
  auto documents =
      decode_yaml_documents(std::string_view(*bytes).substr(expected.out.size()), file_name);
  if (documents) ::utimensat(AT_FDCWD, path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
  return documents;
}

void cache_yaml_documents(std::string_view content, const std::vector<Node>& documents,
                          const ReadLimits& limits) {
  if (content.size() < kMinCachedBytes) return;
  auto dir = cache_dir(true);
  if (!dir) return;
  Encoder e;
  write_header(e, content, limits);
  e.out += encode_yaml_documents(documents);

  std::random_device random;
  const std::string final_path = *dir + "/" + entry_name(content);
  const std::string temp_path = *dir + "/.tmp-" + std::to_string(::getpid()) + "-" + std::to_string(random());
  const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return;
  std::size_t done = 0;
  while (done < e.out.size()) {
    const ssize_t n = ::write(fd, e.out.data() + done, e.out.size() - done);
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool written = ::close(fd) == 0 && done == e.out.size();
  // rename is atomic: a concurrent reader sees the old entry or the new one.
  if (!written || ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    ::unlink(temp_path.c_str());
    return;
  }
  prune(*dir);
}

}  // namespace berth::loader
