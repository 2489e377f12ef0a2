// `berth cp`: copies files and directories between a service container and
// the local filesystem through the engine's archive API (tar), with docker
// cp's rules for where things land:
// - SRC a file: DEST an existing directory gets DEST/<name>, else DEST is the file;
// - SRC a directory: DEST an existing directory gets DEST/<name>/..., else DEST
//   is created with SRC's content; SRC ending in "/." copies the content only;
// - "-" as DEST writes the tar stream to stdout, as SRC reads one from stdin.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>

#include "berth/engine/engine.h"
#include "berth/engine/tar.h"
#include "berth/model/project.h"
#include "berth/service/containers.h"
#include "berth/util/error.h"
#include "local_archive.h"
#include "project_loading.h"
#include "replicas.h"
#include "session.h"

namespace berth::service {
namespace {

namespace fs = std::filesystem;

struct CpArgument {
  std::string service;  // empty: a local path
  std::string path;
};

// "web:/etc/hosts" names a container path; an absolute or ./relative local
// path may contain ':' itself, as in docker cp.
CpArgument parse_argument(const std::string& text) {
  if (text.starts_with("/") || text.starts_with(".")) return {"", text};
  auto colon = text.find(':');
  if (colon == std::string::npos) return {"", text};
  return {text.substr(0, colon), text.substr(colon + 1)};
}

bool ends_with_dot(const std::string& path) { return path == "." || path.ends_with("/."); }

// The last component docker uses to name what it copies: "/a/b/" -> "b".
std::string base_name(std::string path) {
  while (path.size() > 1 && path.ends_with("/")) path.pop_back();
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string parent_of(std::string path) {
  while (path.size() > 1 && path.ends_with("/")) path.pop_back();
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// GET archive of `path`, each piece handed to `sink` as it arrives; a
// missing path named as docker cp names it.
void fetch_archive(engine::Engine& engine, const Replica& from, const std::string& path,
                   const engine::ByteSink& sink) {
  try {
    engine.get_archive(from.id, path, sink);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NotFound)
      throw Error(ErrorKind::Usage, "no such file or directory in container " + from.name + ": " + path);
    throw;
  }
}

// Where a copy out of a container lands, docker cp's rules (see the top).
fs::path local_target(const std::string& source, const std::string& destination, const std::string& root,
                      bool source_is_directory) {
  const fs::path dest(destination);
  std::error_code ec;
  const auto status = fs::symlink_status(dest, ec);
  if (fs::is_directory(fs::status(dest, ec)))
    return ends_with_dot(source) && source_is_directory ? dest : dest / base_name(root);
  if (fs::exists(status)) {
    if (source_is_directory) throw Error(ErrorKind::Usage, "cannot copy a directory to a file: " + destination);
    return dest;
  }
  if (destination.ends_with("/") && !source_is_directory)
    throw Error(ErrorKind::Usage, "destination directory " + destination + " does not exist");
  const auto parent = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec))
    throw Error(ErrorKind::Usage, "destination directory " + parent.string() + " does not exist");
  return dest;
}

void copy_from_container(engine::Engine& engine, const Replica& from, const std::string& source,
                         const std::string& destination, const CpOptions& o) {
  if (destination == "-") {
    fetch_archive(engine, from, source, [](std::string_view piece) {
      if (!std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size())))
        throw Error(ErrorKind::Io, "writing to stdout failed");
    });
    std::cout.flush();
    return;
  }
  // The archive is extracted while it arrives (a file of hundreds of MB is
  // never held in memory); the first entry decides where it lands.
  // `name`: what the archive's root is called here (-L: the link's name).
  auto extract_from = [&](const std::string& path, bool follow_link, const std::string& name) {
    auto extractor = std::make_unique<LocalExtractor>(
        [&, name](const engine::TarEntry& first, const std::string& root) {
          return local_target(source, destination, name.empty() ? root : name, first.type == '5');
        },
        o.archive, follow_link);
    engine::TarStreamReader reader(*extractor);
    fetch_archive(engine, from, path, [&](std::string_view piece) { reader.feed(piece); });
    reader.finish();
    if (reader.entries() == 0) throw Error(ErrorKind::Io, "the engine returned an empty archive for " + path);
    extractor->finish();
    return extractor;
  };
  auto extracted = extract_from(source, o.follow_link, "");
  // -L: a symlink is replaced by what it points to, under the link's name
  // (as docker cp renames the entries).
  if (extracted->link_target()) {
    std::string target = *extracted->link_target();
    if (!target.starts_with("/")) target = parent_of(source) + "/" + target;
    extract_from(target, false, base_name(source));
  }
}

// A body source reading `fd` from where it is to its end.
engine::BodySource body_from_fd(int fd) {
  return [fd](std::string& chunk) {
    chunk.resize(1 << 20);
    for (;;) {
      ssize_t n = ::read(fd, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw Error(ErrorKind::Io, std::string("cannot read the archive on stdin: ") + std::strerror(errno));
      chunk.resize(static_cast<size_t>(n));
      return n > 0;
    }
  };
}

// Stdin copied to an unnamed temporary file, to be sent to several
// containers without holding it in memory.
int spool_stdin() {
  const char* dir = std::getenv("TMPDIR");
  int fd = ::open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(ErrorKind::Io, std::string("cannot create a temporary file: ") + std::strerror(errno));
  auto read_stdin = body_from_fd(STDIN_FILENO);
  std::string chunk;
  while (read_stdin(chunk)) {
    std::string_view bytes = chunk;
    while (!bytes.empty()) {
      auto n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int error = errno;
        ::close(fd);
        throw Error(ErrorKind::Io, std::string("cannot write a temporary file: ") + std::strerror(error));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }
  return fd;
}

void copy_stdin_to_containers(engine::Engine& engine, const std::vector<Replica>& targets,
                              const std::string& destination, const engine::PutArchiveOptions& options) {
  // One container reads stdin as it comes; several read it again from a
  // spooled copy.
  const int fd = targets.size() == 1 ? STDIN_FILENO : spool_stdin();
  for (const auto& t : targets) {
    try {
      if (fd != STDIN_FILENO && ::lseek(fd, 0, SEEK_SET) != 0)
        throw Error(ErrorKind::Io, std::string("cannot rewind a temporary file: ") + std::strerror(errno));
      engine.put_archive(t.id, destination, body_from_fd(fd), options);
    } catch (const Error& e) {
      if (fd != STDIN_FILENO) ::close(fd);
      if (e.kind() == ErrorKind::NotFound)
        throw Error(ErrorKind::Usage, "no such directory in container " + t.name + ": " + destination);
      throw Error(e.kind(), "copying to " + t.name + ":" + destination + ": " + e.what());
    }
  }
  if (fd != STDIN_FILENO) ::close(fd);
}

void copy_to_containers(engine::Engine& engine, const std::vector<Replica>& targets, const std::string& source,
                        const std::string& destination, const CpOptions& o) {
  engine::PutArchiveOptions options;
  options.copy_uid_gid = o.archive;
  options.no_overwrite_dir_non_dir = true;  // docker cp never replaces a directory by a file or back
  if (source == "-") return copy_stdin_to_containers(engine, targets, destination, options);

  struct stat st {};
  if ((o.follow_link ? ::stat(source.c_str(), &st) : ::lstat(source.c_str(), &st)) != 0)
    throw Error(ErrorKind::Usage, "cannot copy " + source + ": " + std::strerror(errno));
  const bool source_is_directory = S_ISDIR(st.st_mode);
  const bool contents_only = ends_with_dot(source) && source_is_directory;
  // Into the destination when it is a directory, named after the source...
  std::vector<engine::TarSourceEntry> into;
  // ...else into its parent, under the destination's name.
  std::vector<engine::TarSourceEntry> renamed;
  for (const auto& t : targets) {
    // As docker cp: what the destination is decides where the copy goes (a
    // symlink: what it points to).
    auto stat = engine.stat_container_path(t.id, destination);
    std::string directory = destination;
    if (stat && stat->is_symlink()) {
      directory = stat->link_target.starts_with("/") ? stat->link_target
                                                     : parent_of(destination) + "/" + stat->link_target;
      stat = engine.stat_container_path(t.id, directory);
    }
    const std::vector<engine::TarSourceEntry>* entries = &into;
    if (stat && stat->is_directory()) {
      if (into.empty())
        list_local(into, source, contents_only ? "" : base_name(fs::absolute(source).lexically_normal().string()),
                   o.follow_link);
    } else {
      if (stat && source_is_directory)
        throw Error(ErrorKind::Usage, "cannot copy a directory to a file: " + t.name + ":" + destination);
      if (!stat && destination.ends_with("/"))
        throw Error(ErrorKind::Usage, "no such directory in container " + t.name + ": " + destination);
      renamed.clear();
      list_local(renamed, source, base_name(directory), o.follow_link);
      directory = parent_of(directory);
      entries = &renamed;
    }
    try {
      engine.put_archive(t.id, directory, engine::tar_body(*entries), options);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound)
        throw Error(ErrorKind::Usage, "no such directory in container " + t.name + ": " + directory);
      throw Error(e.kind(), "copying to " + t.name + ":" + destination + ": " + e.what());
    }
  }
}

}  // namespace

void cp(const GlobalOptions& global, const CpOptions& o) {
  const auto source = parse_argument(o.source);
  const auto destination = parse_argument(o.destination);
  if (source.service.empty() == destination.service.empty())
    throw Error(ErrorKind::Usage, "cp: exactly one of source and destination must be SERVICE:PATH");
  if (o.index < 0) throw Error(ErrorKind::Usage, "--index must be 1 or more");
  const auto& service = source.service.empty() ? destination.service : source.service;
  auto project = load_project(global, {service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  if (!source.service.empty()) {
    if (source.path.empty()) throw Error(ErrorKind::Usage, "cp: the container path is empty");
    // From a service: one container (the first replica unless --index).
    auto from = find_replica(*engine, project.name, service, o.index > 0 ? o.index : 1, false);
    copy_from_container(*engine, from, source.path, destination.path, o);
  } else {
    if (destination.path.empty()) throw Error(ErrorKind::Usage, "cp: the container path is empty");
    auto targets = o.index > 0 ? std::vector<Replica>{find_replica(*engine, project.name, service, o.index, false)}
                               : all_replicas(*engine, project.name, service, o.all);
    copy_to_containers(*engine, targets, source.path, destination.path, o);
  }
}

}  // namespace berth::service
