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

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>

#include "berth/cli/global_options.h"
#include "berth/engine/docker_engine.h"
#include "berth/engine/tar.h"
#include "berth/engine/transport.h"
#include "berth/model/labels.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/lifecycle_session.h"
#include "cli/service_container.h"

namespace berth::cli {
namespace {

namespace fs = std::filesystem;

struct CpFlags {
  bool all = false;
  bool archive = false;
  bool follow_link = false;
  int index = 0;
  std::string source;
  std::string destination;
};

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

[[noreturn]] void fail_errno(const std::string& what, const fs::path& path) {
  throw Error(ErrorKind::Io, what + " " + path.string() + ": " + std::strerror(errno));
}

// --- the local side

// Adds `local` to the archive under `name` (a directory recursively, in name
// order so archives are reproducible). `follow` dereferences `local` itself
// when it is a symlink (-L); links inside a directory are kept as links.
void add_local(engine::TarWriter& tar, const fs::path& local, const std::string& name, bool follow) {
  struct stat st {};
  if ((follow ? ::stat(local.c_str(), &st) : ::lstat(local.c_str(), &st)) != 0) fail_errno("cannot read", local);
  engine::TarEntry entry;
  entry.name = name;
  entry.mode = st.st_mode & 07777;
  entry.uid = st.st_uid;
  entry.gid = st.st_gid;
  entry.mtime = st.st_mtime;
  if (S_ISDIR(st.st_mode)) {
    if (!name.empty()) {
      entry.name += "/";
      entry.type = '5';
      tar.add(entry);
    }
    std::vector<fs::path> children;
    for (const auto& child : fs::directory_iterator(local)) children.push_back(child.path());
    std::sort(children.begin(), children.end());
    for (const auto& child : children)
      add_local(tar, child, name.empty() ? child.filename().string() : name + "/" + child.filename().string(), false);
  } else if (S_ISREG(st.st_mode)) {
    std::ifstream in(local, std::ios::binary);
    if (!in) fail_errno("cannot read", local);
    entry.content.assign(std::istreambuf_iterator<char>(in), {});
    entry.type = '0';
    tar.add(entry);
  } else if (S_ISLNK(st.st_mode)) {
    entry.type = '2';
    entry.link_target = fs::read_symlink(local).string();
    tar.add(entry);
  } else {
    std::cerr << "WARN skipping " << local.string() << ": not a file, directory or symlink\n";
  }
}

void set_times(const fs::path& path, std::int64_t mtime) {
  timespec times[2];
  times[0].tv_sec = times[1].tv_sec = static_cast<time_t>(mtime);
  times[0].tv_nsec = times[1].tv_nsec = 0;
  ::utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW);
}

// Writes the entries of a container archive below `target`; `root` is the
// archive's first path component, replaced by `target`.
void extract(const std::vector<engine::TarEntry>& entries, const std::string& root, const fs::path& target,
             bool archive) {
  std::vector<std::pair<fs::path, std::int64_t>> directories;
  for (const auto& e : entries) {
    std::string name = e.name;
    while (name.ends_with("/")) name.pop_back();
    std::string rest = name == root ? "" : name.substr(root.size() + 1);
    if (rest.find("..") != std::string::npos &&
        (rest == ".." || rest.starts_with("../") || rest.find("/../") != std::string::npos || rest.ends_with("/..")))
      throw Error(ErrorKind::Io, "the archive from the engine has a path leaving the destination: " + e.name);
    const fs::path path = rest.empty() ? target : target / rest;
    if (e.type == '5') {
      std::error_code ec;
      fs::create_directories(path, ec);
      if (ec || !fs::is_directory(path))
        throw Error(ErrorKind::Io, "cannot create directory " + path.string() +
                                       (ec ? ": " + ec.message() : ": a file is in the way"));
      ::chmod(path.c_str(), e.mode & 07777);
      directories.emplace_back(path, e.mtime);
    } else if (e.type == '2') {
      std::error_code ec;
      fs::remove(path, ec);
      fs::create_symlink(e.link_target, path, ec);
      if (ec) throw Error(ErrorKind::Io, "cannot create symlink " + path.string() + ": " + ec.message());
      set_times(path, e.mtime);
    } else {
      if (fs::is_directory(path))
        throw Error(ErrorKind::Io, "cannot overwrite directory " + path.string() + " with a file");
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, e.mode & 07777);
      if (fd < 0) fail_errno("cannot write", path);
      std::string_view bytes = e.content;
      while (!bytes.empty()) {
        auto n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
          ::close(fd);
          fail_errno("cannot write", path);
        }
        bytes.remove_prefix(static_cast<size_t>(n));
      }
      ::fchmod(fd, e.mode & 07777);
      ::close(fd);
      set_times(path, e.mtime);
    }
    if (archive && ::lchown(path.c_str(), e.uid, e.gid) != 0) fail_errno("cannot change the owner of", path);
  }
  // Last, so that writing the children did not change them again.
  for (auto it = directories.rbegin(); it != directories.rend(); ++it) set_times(it->first, it->second);
}

// --- containers

struct Target {
  std::string id;
  std::string name;
};

// The service's containers: the one with --index, else every replica (and,
// with --all, its one-off containers).
std::vector<Target> service_targets(engine::Engine& engine, const std::string& project, const std::string& service,
                                    int index, bool all) {
  if (index > 0) {
    auto c = find_service_container(engine, project, service, index, /*running=*/false);
    return {{c.id, c.name}};
  }
  engine::ListContainersOptions options;
  options.all = true;
  options.filters["label"] = {std::string(model::labels::kProject) + "=" + project,
                              std::string(model::labels::kService) + "=" + service};
  std::vector<std::pair<std::string, Target>> found;
  for (const auto& c : engine.list_containers(options)) {
    auto oneoff = c.labels.find(model::labels::kOneoff);
    if (!all && oneoff != c.labels.end() && oneoff->second == "True") continue;
    std::string name = c.names.empty() ? c.id.substr(0, 12) : c.names.front();
    if (name.starts_with("/")) name.erase(0, 1);
    auto number = c.labels.find(model::labels::kContainerNumber);
    found.push_back({number == c.labels.end() ? name : number->second, {c.id, name}});
  }
  if (found.empty()) throw Error(ErrorKind::Usage, "service \"" + service + "\" has no container; run `berth up` first");
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Target> out;
  for (auto& f : found) out.push_back(std::move(f.second));
  return out;
}

std::string fetch_archive(engine::Engine& engine, const Target& from, const std::string& path) {
  std::string tar;
  try {
    engine.get_archive(from.id, path, [&](std::string_view piece) { tar.append(piece); });
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NotFound)
      throw Error(ErrorKind::Usage, "no such file or directory in container " + from.name + ": " + path);
    throw;
  }
  return tar;
}

void copy_from_container(engine::Engine& engine, const Target& from, const std::string& source,
                         const std::string& destination, const CpFlags& f) {
  if (destination == "-") {
    try {
      engine.get_archive(from.id, source, [](std::string_view piece) {
        if (!std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size())))
          throw Error(ErrorKind::Io, "writing to stdout failed");
      });
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::NotFound)
        throw Error(ErrorKind::Usage, "no such file or directory in container " + from.name + ": " + source);
      throw;
    }
    std::cout.flush();
    return;
  }
  auto entries = engine::read_tar(fetch_archive(engine, from, source));
  if (entries.empty()) throw Error(ErrorKind::Io, "the engine returned an empty archive for " + source);
  auto root_of = [](const engine::TarEntry& e) {
    auto slash = e.name.find('/');
    return slash == std::string::npos ? e.name : e.name.substr(0, slash);
  };
  std::string root = root_of(entries.front());
  // -L: a symlink is replaced by what it points to, under the link's name.
  if (f.follow_link && entries.size() == 1 && entries.front().type == '2') {
    std::string target = entries.front().link_target;
    if (!target.starts_with("/")) target = parent_of(source) + "/" + target;
    entries = engine::read_tar(fetch_archive(engine, from, target));
    if (entries.empty()) throw Error(ErrorKind::Io, "the engine returned an empty archive for " + target);
    root = root_of(entries.front());
  }
  const bool source_is_directory = entries.front().type == '5';
  const fs::path dest(destination);
  std::error_code ec;
  const auto status = fs::symlink_status(dest, ec);
  fs::path target;
  if (fs::is_directory(fs::status(dest, ec))) {
    target = ends_with_dot(source) && source_is_directory ? dest : dest / base_name(root);
  } else if (fs::exists(status)) {
    if (source_is_directory)
      throw Error(ErrorKind::Usage, "cannot copy a directory to a file: " + destination);
    target = dest;
  } else {
    if (destination.ends_with("/") && !source_is_directory)
      throw Error(ErrorKind::Usage, "destination directory " + destination + " does not exist");
    const auto parent = dest.has_parent_path() ? dest.parent_path() : fs::path(".");
    if (!fs::is_directory(parent, ec))
      throw Error(ErrorKind::Usage, "destination directory " + parent.string() + " does not exist");
    target = dest;
  }
  extract(entries, root, target, f.archive);
}

// Whether a put_archive failure says the path is missing or not a directory:
// then the copy goes to its parent under the destination's name.
bool not_a_directory(const Error& e) {
  if (e.kind() == ErrorKind::NotFound) return true;
  const std::string text = e.what();
  return text.find("not a directory") != std::string::npos;
}

void copy_to_containers(engine::Engine& engine, const std::vector<Target>& targets, const std::string& source,
                        const std::string& destination, const CpFlags& f) {
  engine::PutArchiveOptions options;
  options.copy_uid_gid = f.archive;
  options.no_overwrite_dir_non_dir = true;  // docker cp never replaces a directory by a file or back
  auto report = [&](const Target& t, const Error& e) -> Error {
    if (e.kind() == ErrorKind::NotFound)
      return Error(ErrorKind::Usage, "no such directory in container " + t.name + ": " + parent_of(destination));
    return Error(e.kind(), "copying to " + t.name + ":" + destination + ": " + e.what());
  };
  if (source == "-") {
    std::string tar(std::istreambuf_iterator<char>(std::cin), {});
    for (const auto& t : targets) {
      try {
        engine.put_archive(t.id, destination, engine::body_from_string(tar), options);
      } catch (const Error& e) {
        throw report(t, e);
      }
    }
    return;
  }
  struct stat st {};
  if ((f.follow_link ? ::stat(source.c_str(), &st) : ::lstat(source.c_str(), &st)) != 0)
    throw Error(ErrorKind::Usage, "cannot copy " + source + ": " + std::strerror(errno));
  const bool contents_only = ends_with_dot(source) && S_ISDIR(st.st_mode);
  // Into the destination as a directory, named after the source...
  engine::TarWriter into;
  add_local(into, source, contents_only ? "" : base_name(fs::absolute(source).lexically_normal().string()),
            f.follow_link);
  const std::string into_tar = into.finish();
  // ...else into its parent, under the destination's name.
  std::string renamed_tar;
  for (const auto& t : targets) {
    try {
      engine.put_archive(t.id, destination, engine::body_from_string(into_tar), options);
      continue;
    } catch (const Error& e) {
      if (!not_a_directory(e) || destination.ends_with("/")) throw report(t, e);
    }
    if (renamed_tar.empty()) {
      engine::TarWriter renamed;
      add_local(renamed, source, base_name(destination), f.follow_link);
      renamed_tar = renamed.finish();
    }
    try {
      engine.put_archive(t.id, parent_of(destination), engine::body_from_string(renamed_tar), options);
    } catch (const Error& e) {
      throw report(t, e);
    }
  }
}

void run_cp(const CpFlags& f, const GlobalOptions& global) {
  const auto source = parse_argument(f.source);
  const auto destination = parse_argument(f.destination);
  if (source.service.empty() == destination.service.empty())
    throw Error(ErrorKind::Usage, "cp: exactly one of source and destination must be SERVICE:PATH");
  if (f.index < 0) throw Error(ErrorKind::Usage, "--index must be 1 or more");
  const auto& service = source.service.empty() ? destination.service : source.service;
  auto project = load_project(global, {service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  if (!source.service.empty()) {
    if (source.path.empty()) throw Error(ErrorKind::Usage, "cp: the container path is empty");
    // From a service: one container (the first replica unless --index).
    auto from = find_service_container(*engine, project.name, service, f.index > 0 ? f.index : 1, false);
    copy_from_container(*engine, {from.id, from.name}, source.path, destination.path, f);
  } else {
    if (destination.path.empty()) throw Error(ErrorKind::Usage, "cp: the container path is empty");
    copy_to_containers(*engine, service_targets(*engine, project.name, service, f.index, f.all), source.path,
                       destination.path, f);
  }
}

}  // namespace

void register_cp(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("cp", "Copy files/folders between a service container and the local filesystem");
  auto f = std::make_shared<CpFlags>();
  cmd->add_flag("--all", f->all, "Include containers created by the run command");
  cmd->add_flag("-a,--archive", f->archive, "Archive mode (copy all uid/gid information)");
  cmd->add_flag("-L,--follow-link", f->follow_link, "Always follow symbol link in SRC_PATH");
  cmd->add_option("--index", f->index, "Index of the container if service has multiple replicas");
  cmd->add_option("source", f->source, "SERVICE:SRC_PATH, a local path or - (a tar stream on stdin)")->required();
  cmd->add_option("destination", f->destination, "SERVICE:DEST_PATH, a local path or - (a tar stream on stdout)")
      ->required();
  GlobalOptions* global = &ctx.global;
  cmd->callback([f, global] { run_cp(*f, *global); });
}

}  // namespace berth::cli
