#include "file_watcher.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <filesystem>
#include <vector>

#include "berth/util/error.h"

namespace berth::service {

namespace fs = std::filesystem;

namespace {

constexpr uint32_t kMask = IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO |
                           IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR;

bool below(const std::string& root, const std::string& path) {
  return path.size() > root.size() && path.compare(0, root.size(), root) == 0 &&
         (root == "/" || path[root.size()] == '/');
}

}  // namespace

FileWatcher::FileWatcher() : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
  if (fd_ < 0) throw Error(ErrorKind::Io, std::string("cannot watch files (inotify): ") + strerror(errno));
}

FileWatcher::~FileWatcher() {
  if (fd_ >= 0) ::close(fd_);
}

void FileWatcher::add(const std::string& path, DirectoryFilter descend) {
  std::error_code ec;
  Root root{path, fs::is_directory(path, ec), std::move(descend)};
  auto [it, _] = roots_.insert_or_assign(path, std::move(root));
  if (it->second.directory) watch_tree(path, it->second, nullptr);
  else watch_tree(std::filesystem::path(path).parent_path().string(), it->second, nullptr);
}

void FileWatcher::watch_tree(const std::string& directory, const Root& root, std::set<std::string>* found) {
  int wd = inotify_add_watch(fd_, directory.c_str(), kMask);
  if (wd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return;  // gone again already
    if (errno == ENOSPC)
      throw Error(ErrorKind::Io, "cannot watch " + directory +
                                     ": the inotify watch limit is reached (raise fs.inotify.max_user_watches)");
    throw Error(ErrorKind::Io, "cannot watch " + directory + ": " + strerror(errno));
  }
  directories_[wd] = directory;
  descriptors_[directory] = wd;
  if (!root.directory) return;  // a file's directory: nothing below is watched
  std::error_code ec;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string child = it->path().string();
    std::error_code type_ec;
    bool is_directory = it->is_directory(type_ec) && !it->is_symlink(type_ec);
    if (is_directory && root.descend && !root.descend(child)) continue;
    if (found) found->insert(child);
    if (is_directory) watch_tree(child, root, found);
  }
}

const FileWatcher::Root* FileWatcher::root_of(const std::string& path) const {
  for (const auto& [root_path, root] : roots_)
    if (root_path == path || (root.directory && below(root_path, path))) return &root;
  return nullptr;
}

void FileWatcher::read(Changes& out) {
  alignas(struct inotify_event) char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd_, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) return;
      throw Error(ErrorKind::Io, std::string("reading file events: ") + strerror(errno));
    }
    if (n == 0) return;
    for (char* p = buffer; p < buffer + n;) {
      const auto* event = reinterpret_cast<const struct inotify_event*>(p);
      p += sizeof(struct inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        // Directories made while events were lost are watched from now on;
        // the caller rescans for what changed.
        out.overflowed = true;
        for (const auto& [path, root] : roots_)
          if (root.directory) watch_tree(path, root, nullptr);
        continue;
      }
      auto dir = directories_.find(event->wd);
      if (dir == directories_.end()) continue;
      if (event->mask & IN_IGNORED) {
        descriptors_.erase(dir->second);
        directories_.erase(dir);
        continue;
      }
      if (event->len == 0) continue;  // about the directory itself: its parent reports it
      const std::string path = (dir->second == "/" ? "" : dir->second) + "/" + event->name;
      const Root* root = root_of(path);
      if (!root) continue;  // a neighbour of a watched file
      out.paths.insert(path);
      if (!(event->mask & IN_ISDIR) || !root->directory) continue;
      if (event->mask & (IN_CREATE | IN_MOVED_TO)) {
        if (!root->descend || root->descend(path)) watch_tree(path, *root, &out.paths);
      } else if (event->mask & IN_MOVED_FROM) {
        // Moved away: its watches would report under a path that is no more.
        std::vector<int> stale;
        for (const auto& [directory, wd] : descriptors_)
          if (directory == path || below(path, directory)) stale.push_back(wd);
        for (int wd : stale) {
          inotify_rm_watch(fd_, wd);
          descriptors_.erase(directories_[wd]);
          directories_.erase(wd);
        }
      }
    }
  }
}

std::set<std::string> scan_tree(const std::string& root, const DirectoryFilter& descend) {
  std::set<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    if (fs::exists(fs::symlink_status(root, ec))) out.insert(root);
    return out;
  }
  fs::recursive_directory_iterator it(root, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string child = it->path().string();
    std::error_code type_ec;
    if (it->is_directory(type_ec) && !it->is_symlink(type_ec) && descend && !descend(child)) {
      it.disable_recursion_pending();
      continue;
    }
    out.insert(child);
  }
  return out;
}

std::set<std::string> FileWatcher::scan() const {
  std::set<std::string> out;
  for (const auto& [path, root] : roots_) out.merge(scan_tree(path, root.directory ? root.descend : DirectoryFilter{}));
  return out;
}

}  // namespace berth::service
