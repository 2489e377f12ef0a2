#include "local_archive.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "berth/util/error.h"

namespace berth::service {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path) {
  throw Error(ErrorKind::Io, what + " " + path.string() + ": " + std::strerror(errno));
}

void set_times(const fs::path& path, std::int64_t mtime) {
  timespec times[2];
  times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(mtime);
  times[0].tv_nsec = times[1].tv_nsec = 0;
  ::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

std::string strip_slashes(std::string name) {
  while (name.size() > 1 && name.ends_with("/")) name.pop_back();
  return name;
}

}  // namespace

void list_local(std::vector<engine::TarSourceEntry>& out, const fs::path& local, const std::string& name,
                bool follow) {
  struct stat st {};
  if ((follow ? ::stat(local.c_str(), &st) : ::lstat(local.c_str(), &st)) != 0) fail_errno("cannot read", local);
  engine::TarSourceEntry entry;
  entry.header.name = name;
  entry.header.mode = st.st_mode & 07777;
  entry.header.uid = st.st_uid;
  entry.header.gid = st.st_gid;
  entry.header.mtime = st.st_mtime;
  if (S_ISDIR(st.st_mode)) {
    if (!name.empty()) {
      entry.header.name += "/";
      entry.header.type = '5';
      out.push_back(std::move(entry));
    }
    std::vector<fs::path> children;
    for (const auto& child : fs::directory_iterator(local)) children.push_back(child.path());
    std::sort(children.begin(), children.end());
    for (const auto& child : children)
      list_local(out, child, name.empty() ? child.filename().string() : name + "/" + child.filename().string(), false);
  } else if (S_ISREG(st.st_mode)) {
    if (::access(local.c_str(), R_OK) != 0) fail_errno("cannot read", local);
    entry.header.type = '0';
    entry.source = local.string();
    entry.size = static_cast<std::uint64_t>(st.st_size);
    out.push_back(std::move(entry));
  } else if (S_ISLNK(st.st_mode)) {
    entry.header.type = '2';
    entry.header.link_target = fs::read_symlink(local).string();
    out.push_back(std::move(entry));
  } else {
    std::cerr << "WARN skipping " << local.string() << ": not a file, directory or symlink\n";
  }
}

bool LocalExtractor::begin(const engine::TarEntry& e, std::uint64_t) {
  const std::string name = strip_slashes(e.name);
  if (!started_) {
    if (follow_link_ && e.type == '2') {
      link_target_ = e.link_target;
      return false;
    }
    started_ = true;
    root_ = name.substr(0, name.find('/'));
    target_ = choose_target_(e, root_);
  }
  path_ = local_path(e.name);
  entry_ = e;
  switch (e.type) {
    case '5': {
      std::error_code ec;
      fs::create_directories(path_, ec);
      if (ec || !fs::is_directory(path_))
        throw Error(ErrorKind::Io, "cannot create directory " + path_.string() +
                                       (ec ? ": " + ec.message() : ": a file is in the way"));
      ::chmod(path_.c_str(), e.mode & 07777);
      directories_.emplace_back(path_, e.mtime);
      break;
    }
    case '2': {
      std::error_code ec;
      fs::remove(path_, ec);
      fs::create_symlink(e.link_target, path_, ec);
      if (ec) throw Error(ErrorKind::Io, "cannot create symlink " + path_.string() + ": " + ec.message());
      break;
    }
    case '1': {
      std::error_code ec;
      fs::remove(path_, ec);
      fs::create_hard_link(local_path(e.link_target), path_, ec);
      if (ec) throw Error(ErrorKind::Io, "cannot create hard link " + path_.string() + ": " + ec.message());
      break;
    }
    case '0':
    case '7':
      if (fs::is_directory(path_))
        throw Error(ErrorKind::Io, "cannot overwrite directory " + path_.string() + " with a file");
      fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, e.mode & 07777);
      if (fd_ < 0) fail_errno("cannot write", path_);
      break;
    default:
      std::cerr << "WARN skipping " << e.name << ": a device or FIFO is not copied out of a container\n";
      skipped_ = true;
  }
  return true;
}

void LocalExtractor::content(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail_errno("cannot write", path_);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void LocalExtractor::end() {
  if (skipped_) {
    skipped_ = false;
    return;
  }
  if (fd_ >= 0) {
    ::fchmod(fd_, entry_.mode & 07777);
    close_file();
  }
  if (entry_.type != '5') set_times(path_, entry_.mtime);
  if (archive_ && ::lchown(path_.c_str(), entry_.uid, entry_.gid) != 0) fail_errno("cannot change the owner of", path_);
}

void LocalExtractor::finish() {
  for (auto it = directories_.rbegin(); it != directories_.rend(); ++it) set_times(it->first, it->second);
}

fs::path LocalExtractor::local_path(const std::string& archived) const {
  const std::string name = strip_slashes(archived);
  if (name != root_ && !name.starts_with(root_ + "/"))
    throw Error(ErrorKind::Io, "the archive from the engine has a path outside its root: " + archived);
  const std::string rest = name == root_ ? "" : name.substr(root_.size() + 1);
  if (rest == ".." || rest.starts_with("../") || rest.find("/../") != std::string::npos || rest.ends_with("/.."))
    throw Error(ErrorKind::Io, "the archive from the engine has a path leaving the destination: " + archived);
  return rest.empty() ? target_ : target_ / rest;
}

void LocalExtractor::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace berth::service
