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
#include <cstdlib>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

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

// Lists `local` for an archive under `name` (a directory recursively, in name
// order so archives are reproducible); files are read only while the archive
// is sent. `follow` dereferences `local` itself when it is a symlink (-L);
// links inside a directory are kept as links.
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

// Writes a container archive to the local filesystem while it arrives: the
// archive's first path component (its root) is replaced by the target that
// `choose_target` picks from the first entry. With -L, a first entry that is
// a symlink stops the extraction and is kept in link_target() instead.
class Extractor final : public engine::TarStreamReader::Handler {
 public:
  using ChooseTarget = std::function<fs::path(const engine::TarEntry& first, const std::string& root)>;

  Extractor(ChooseTarget choose_target, bool archive, bool follow_link)
      : choose_target_(std::move(choose_target)), archive_(archive), follow_link_(follow_link) {}
  ~Extractor() override { close_file(); }
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  bool begin(const engine::TarEntry& e, std::uint64_t) override {
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

  void content(std::string_view bytes) override {
    while (!bytes.empty()) {
      auto n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail_errno("cannot write", path_);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  }

  void end() override {
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

  // After the archive: directories get their times last, so that writing
  // their children did not change them again.
  void finish() {
    for (auto it = directories_.rbegin(); it != directories_.rend(); ++it) set_times(it->first, it->second);
  }

  bool started() const { return started_; }
  const std::optional<std::string>& link_target() const { return link_target_; }

 private:
  fs::path local_path(const std::string& archived) const {
    const std::string name = strip_slashes(archived);
    if (name != root_ && !name.starts_with(root_ + "/"))
      throw Error(ErrorKind::Io, "the archive from the engine has a path outside its root: " + archived);
    const std::string rest = name == root_ ? "" : name.substr(root_.size() + 1);
    if (rest == ".." || rest.starts_with("../") || rest.find("/../") != std::string::npos || rest.ends_with("/.."))
      throw Error(ErrorKind::Io, "the archive from the engine has a path leaving the destination: " + archived);
    return rest.empty() ? target_ : target_ / rest;
  }

  void close_file() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  ChooseTarget choose_target_;
  bool archive_;
  bool follow_link_;
  bool started_ = false;
  bool skipped_ = false;
  std::optional<std::string> link_target_;
  std::string root_;
  fs::path target_;
  fs::path path_;
  engine::TarEntry entry_;
  int fd_ = -1;
  std::vector<std::pair<fs::path, std::int64_t>> directories_;
};

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

// GET archive of `path`, each piece handed to `sink` as it arrives; a
// missing path named as docker cp names it.
void fetch_archive(engine::Engine& engine, const Target& from, const std::string& path,
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

void copy_from_container(engine::Engine& engine, const Target& from, const std::string& source,
                         const std::string& destination, const CpFlags& f) {
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
    auto extractor = std::make_unique<Extractor>(
        [&, name](const engine::TarEntry& first, const std::string& root) {
          return local_target(source, destination, name.empty() ? root : name, first.type == '5');
        },
        f.archive, follow_link);
    engine::TarStreamReader reader(*extractor);
    fetch_archive(engine, from, path, [&](std::string_view piece) { reader.feed(piece); });
    reader.finish();
    if (reader.entries() == 0) throw Error(ErrorKind::Io, "the engine returned an empty archive for " + path);
    extractor->finish();
    return extractor;
  };
  auto extracted = extract_from(source, f.follow_link, "");
  // -L: a symlink is replaced by what it points to, under the link's name
  // (as docker cp renames the entries).
  if (extracted->link_target()) {
    std::string target = *extracted->link_target();
    if (!target.starts_with("/")) target = parent_of(source) + "/" + target;
    extract_from(target, false, base_name(source));
  }
}

// Whether a put_archive failure says the path is missing or not a directory:
// then the copy goes to its parent under the destination's name.
bool not_a_directory(const Error& e) {
  if (e.kind() == ErrorKind::NotFound) return true;
  const std::string text = e.what();
  return text.find("not a directory") != std::string::npos;
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
        throw report(t, e);
      }
    }
    if (fd != STDIN_FILENO) ::close(fd);
    return;
  }
  struct stat st {};
  if ((f.follow_link ? ::stat(source.c_str(), &st) : ::lstat(source.c_str(), &st)) != 0)
    throw Error(ErrorKind::Usage, "cannot copy " + source + ": " + std::strerror(errno));
  const bool contents_only = ends_with_dot(source) && S_ISDIR(st.st_mode);
  // Into the destination as a directory, named after the source...
  std::vector<engine::TarSourceEntry> into;
  list_local(into, source, contents_only ? "" : base_name(fs::absolute(source).lexically_normal().string()),
             f.follow_link);
  // ...else into its parent, under the destination's name.
  std::vector<engine::TarSourceEntry> renamed;
  for (const auto& t : targets) {
    try {
      engine.put_archive(t.id, destination, engine::tar_body(into), options);
      continue;
    } catch (const Error& e) {
      if (!not_a_directory(e) || destination.ends_with("/")) throw report(t, e);
    }
    if (renamed.empty()) list_local(renamed, source, base_name(destination), f.follow_link);
    try {
      engine.put_archive(t.id, parent_of(destination), engine::tar_body(renamed), options);
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
