#include "berth/builder/build_context.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "berth/engine/tar.h"
#include "berth/builder/dockerignore.h"
#include "berth/util/error.h"
#include "berth/util/sha256.h"

namespace berth::builder {

namespace {

// A regular file on disk has its path as `source`; one made in memory (an
// added Dockerfile, an amended .dockerignore) has its `header.content`.
using Entry = engine::TarSourceEntry;

std::string errno_text(int error) { return std::strerror(error); }

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

std::string read_whole_file(const std::string& path) {
  Fd file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.fd < 0) throw Error(ErrorKind::Io, "cannot read " + path + ": " + errno_text(errno));
  std::string text;
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(file.fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::Io, "cannot read " + path + ": " + errno_text(errno));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  return text;
}

std::optional<std::string> real_path(const std::string& path) {
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return std::nullopt;
  return std::string(resolved);
}

class Walker {
 public:
  Walker(const IgnoreMatcher& matcher, std::string root, std::vector<Entry>& out)
      : matcher_(matcher), root_(std::move(root)), out_(out) {}

  void walk(int dir_fd, const std::string& prefix) {
    for (const auto& name : sorted_names(dir_fd, prefix)) {
      std::string rel = prefix + name;
      struct stat st {};
      if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) continue;  // removed while we looked
        throw Error(ErrorKind::Io, "cannot read " + rel + " in the build context: " + errno_text(errno));
      }
      const bool directory = S_ISDIR(st.st_mode);
      bool emit = true;
      if (!matcher_.empty() && matcher_.excluded(rel)) {
        // An excluded directory is still entered when an exception could
        // bring back something below it; the directory itself stays out.
        if (!directory || !matcher_.has_exceptions() || !matcher_.may_reinclude_below(rel)) continue;
        emit = false;
      }
      if (directory) {
        if (emit) add(rel + "/", '5', st);
        Fd child(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (child.fd < 0)
          throw Error(ErrorKind::Io, "cannot read directory " + rel + " in the build context: " + errno_text(errno));
        walk(child.fd, rel + "/");
      } else if (S_ISREG(st.st_mode)) {
        add_file(rel, st);
      } else if (S_ISLNK(st.st_mode)) {
        auto& entry = add(rel, '2', st);
        entry.header.link_target = read_link(dir_fd, name, rel, static_cast<size_t>(st.st_size));
      } else if (S_ISFIFO(st.st_mode)) {
        add(rel, '6', st);
      } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
        auto& entry = add(rel, S_ISCHR(st.st_mode) ? '3' : '4', st);
        entry.header.dev_major = major(st.st_rdev);
        entry.header.dev_minor = minor(st.st_rdev);
      }
      // Sockets cannot be archived; the Docker CLI leaves them out too.
    }
  }

 private:
  static std::vector<std::string> sorted_names(int dir_fd, const std::string& prefix) {
    int copy = ::dup(dir_fd);
    DIR* dir = copy < 0 ? nullptr : ::fdopendir(copy);
    if (!dir) {
      if (copy >= 0) ::close(copy);
      throw Error(ErrorKind::Io, "cannot read directory " + (prefix.empty() ? std::string(".") : prefix) +
                                     " in the build context: " + errno_text(errno));
    }
    std::vector<std::string> names;
    while (auto* d = ::readdir(dir)) {
      std::string_view name = d->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
  }

  static std::string read_link(int dir_fd, const std::string& name, const std::string& rel, size_t size_hint) {
    std::string target(std::max<size_t>(size_hint, 64), '\0');
    for (;;) {
      ssize_t n = ::readlinkat(dir_fd, name.c_str(), target.data(), target.size());
      if (n < 0) throw Error(ErrorKind::Io, "cannot read symlink " + rel + ": " + errno_text(errno));
      if (static_cast<size_t>(n) < target.size()) {
        target.resize(static_cast<size_t>(n));
        return target;
      }
      target.resize(target.size() * 2);
    }
  }

  Entry& add(std::string name, char type, const struct stat& st) {
    Entry entry;
    entry.header.name = std::move(name);
    entry.header.type = type;
    entry.header.mode = st.st_mode & 07777;
    entry.header.mtime = st.st_mtim.tv_sec;  // whole seconds, as the Docker CLI sends
    out_.push_back(std::move(entry));
    return out_.back();
  }

  void add_file(const std::string& rel, const struct stat& st) {
    if (st.st_nlink > 1) {
      // A second name for a file already in the archive travels as a hard link.
      auto key = std::pair{st.st_dev, st.st_ino};
      if (auto it = hard_links_.find(key); it != hard_links_.end()) {
        add(rel, '1', st).header.link_target = it->second;
        return;
      }
      hard_links_.emplace(key, rel);
    }
    auto& entry = add(rel, '0', st);
    entry.size = static_cast<std::uint64_t>(st.st_size);
    entry.source = root_ + "/" + rel;
  }

  const IgnoreMatcher& matcher_;
  const std::string root_;
  std::vector<Entry>& out_;
  std::map<std::pair<dev_t, ino_t>, std::string> hard_links_;
};

Entry memory_file(const std::string& name, std::string content) {
  Entry entry;
  entry.header.name = name;
  entry.header.mode = 0644;
  entry.header.content = std::move(content);
  entry.size = entry.header.content.size();
  return entry;
}

// Reads the archive ahead on a thread of its own, so that reading files and
// sending the previous pieces to the engine overlap (as `tar | curl` overlap
// in two processes). Pieces go round between a ready queue and spare
// buffers, so no piece is copied or allocated again after the first rounds.
class PrefetchedArchive {
 public:
  PrefetchedArchive(std::shared_ptr<const std::vector<Entry>> entries, size_t piece_size, size_t depth)
      : stream_(std::move(entries), piece_size, engine::TarReadOptions{true, " in the build context"}),
        depth_(std::max<size_t>(depth, 1)) {}
  ~PrefetchedArchive() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    if (producer_.joinable()) producer_.join();
  }
  PrefetchedArchive(const PrefetchedArchive&) = delete;
  PrefetchedArchive& operator=(const PrefetchedArchive&) = delete;

  // The body source's call: the next piece, and whether more follow.
  bool next(std::string& chunk) {
    std::unique_lock lock(mutex_);
    if (!producer_.joinable()) producer_ = std::thread([this] { produce(); });
    changed_.wait(lock, [&] { return !ready_.empty() || error_ || produced_all_; });
    if (ready_.empty()) {
      if (error_) std::rethrow_exception(error_);
      chunk.clear();  // called again after the last piece
      return false;
    }
    Piece piece = std::move(ready_.front());
    ready_.pop_front();
    spare_.push_back(std::move(chunk));
    chunk = std::move(piece.bytes);
    lock.unlock();
    changed_.notify_all();
    return piece.more;
  }

 private:
  struct Piece {
    std::string bytes;
    bool more = true;
  };

  void produce() {
    try {
      for (bool more = true; more;) {
        std::string buffer;
        {
          std::unique_lock lock(mutex_);
          changed_.wait(lock, [&] { return stopping_ || ready_.size() < depth_; });
          if (stopping_) return;
          if (!spare_.empty()) {
            buffer = std::move(spare_.back());
            spare_.pop_back();
          }
        }
        more = stream_.next(buffer);
        {
          std::lock_guard lock(mutex_);
          ready_.push_back({std::move(buffer), more});
          produced_all_ = !more;
        }
        changed_.notify_all();
      }
    } catch (...) {
      {
        std::lock_guard lock(mutex_);
        error_ = std::current_exception();
      }
      changed_.notify_all();
    }
  }

  engine::TarPieces stream_;  // used by the producer thread only
  const size_t depth_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Piece> ready_;
  std::vector<std::string> spare_;
  std::exception_ptr error_;
  bool produced_all_ = false;
  bool stopping_ = false;
  std::thread producer_;
};

}  // namespace

BuildContext BuildContext::prepare(const ContextSource& source) {
  struct stat st {};
  if (::stat(source.directory.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR)
      throw Error(ErrorKind::Io, "build context " + source.directory + " does not exist");
    throw Error(ErrorKind::Io, "cannot read build context " + source.directory + ": " + errno_text(errno));
  }
  if (!S_ISDIR(st.st_mode)) throw Error(ErrorKind::Io, "build context " + source.directory + " is not a directory");
  auto root = real_path(source.directory);
  if (!root) throw Error(ErrorKind::Io, "cannot read build context " + source.directory + ": " + errno_text(errno));

  BuildContext context;
  const std::string ignore_path = *root + "/.dockerignore";
  std::optional<std::string> ignore_text;
  if (::stat(ignore_path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) ignore_text = read_whole_file(ignore_path);
  auto patterns = ignore_text ? parse_dockerignore(*ignore_text) : std::vector<std::string>{};
  auto keep = [&](const std::string& name) {
    if (!patterns.empty() && IgnoreMatcher(patterns).excluded(name)) patterns.push_back("!" + name);
  };
  keep(".dockerignore");

  // The Dockerfile: a file below the context travels under its own name;
  // one outside it, or inline text, is added under a name of its own.
  std::optional<std::string> extra_dockerfile;
  if (source.dockerfile_inline) {
    extra_dockerfile = *source.dockerfile_inline;
  } else {
    std::string given = source.dockerfile.empty() ? "Dockerfile" : source.dockerfile;
    std::string path = given.starts_with('/') ? given : source.directory + "/" + given;
    auto real = real_path(path);
    struct stat dockerfile_stat {};
    if (!real || ::stat(real->c_str(), &dockerfile_stat) != 0 || !S_ISREG(dockerfile_stat.st_mode))
      throw Error(ErrorKind::Io, "cannot find the Dockerfile " + path);
    if (real->starts_with(*root + "/")) {
      context.dockerfile_name_ = real->substr(root->size() + 1);
      keep(context.dockerfile_name_);
    } else {
      extra_dockerfile = read_whole_file(*real);
    }
  }

  auto entries = std::make_shared<std::vector<Entry>>();
  IgnoreMatcher matcher(patterns);
  Fd dir(::open(root->c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.fd < 0) throw Error(ErrorKind::Io, "cannot read build context " + *root + ": " + errno_text(errno));
  Walker(matcher, *root, *entries).walk(dir.fd, "");

  if (extra_dockerfile) {
    context.dockerfile_name_ = ".dockerfile." + sha256_hex(*extra_dockerfile).substr(0, 20);
    // The builder reads .dockerignore too: listing the added Dockerfile
    // there keeps it out of COPY . (a new .dockerignore also lists itself).
    auto it = std::find_if(entries->begin(), entries->end(),
                           [](const Entry& e) { return e.header.name == ".dockerignore"; });
    std::string ignore = ignore_text ? *ignore_text : ".dockerignore";
    ignore += "\n" + context.dockerfile_name_ + "\n";
    if (it != entries->end()) {
      auto mtime = it->header.mtime;
      *it = memory_file(".dockerignore", std::move(ignore));
      it->header.mtime = mtime;
    } else {
      entries->insert(entries->begin(), memory_file(".dockerignore", std::move(ignore)));
    }
    entries->insert(entries->begin(), memory_file(context.dockerfile_name_, std::move(*extra_dockerfile)));
  }
  context.entries_ = std::move(entries);
  return context;
}

size_t BuildContext::entry_count() const { return entries_ ? entries_->size() : 0; }

std::uint64_t BuildContext::content_bytes() const {
  std::uint64_t total = 0;
  if (entries_)
    for (const auto& e : *entries_) total += e.size;
  return total;
}

std::vector<std::string> BuildContext::names() const {
  std::vector<std::string> out;
  if (entries_)
    for (const auto& e : *entries_) out.push_back(e.header.name);
  return out;
}

engine::BodySource BuildContext::archive(size_t piece_size) const {
  // Four pieces ahead: the socket's buffer plus a few files' worth of reading.
  auto stream = std::make_shared<PrefetchedArchive>(entries_, piece_size, 4);
  return [stream](std::string& chunk) { return stream->next(chunk); };
}

}  // namespace berth::builder
