#pragma once
// A build context: the files of a directory that .dockerignore lets through,
// streamed to the engine as a tar archive while the request body is being
// sent (a 200 MB context is never held in memory).
//
// What goes into the archive is what the Docker CLI sends: paths relative to
// the context root in walk order, directories, symlinks as symlinks (never
// followed), hard links as hard links, FIFOs and devices as headers; sockets
// are left out. Permission bits (with setuid/setgid/sticky) and mtimes (whole
// seconds) are kept; uid/gid are 0. The Dockerfile and .dockerignore are
// always sent, even when .dockerignore excludes them. A Dockerfile outside
// the context, or given inline, is added under a name of its own
// (".dockerfile.<hash>") that is also added to .dockerignore, so the builder
// leaves it out of COPY/ADD as the Docker CLI arranges.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "berth/engine/types.h"

namespace berth::engine {
struct TarSourceEntry;
}

namespace berth::builder {

struct ContextSource {
  std::string directory;   // the context directory (absolute, or relative to the working directory)
  std::string dockerfile;  // relative to `directory`, or absolute; "" means "Dockerfile"
  std::optional<std::string> dockerfile_inline;  // the Dockerfile's text; `dockerfile` is then unused
};

class BuildContext {
 public:
  // Walks the directory. Throws berth::Error (Io) when the directory is
  // missing, is not a directory, or cannot be read, or when the Dockerfile
  // cannot be found; (Config) for a malformed .dockerignore.
  static BuildContext prepare(const ContextSource& source);

  // The Dockerfile's name inside the archive: what POST /build takes as `dockerfile`.
  const std::string& dockerfile_name() const { return dockerfile_name_; }
  size_t entry_count() const;
  std::uint64_t content_bytes() const;  // regular files' bytes, headers not counted
  // The names the archive will hold, in order ("dir/" for directories).
  std::vector<std::string> names() const;

  // A body source that produces the archive in pieces of about `piece_size`
  // bytes, reading each file when its turn comes, a few pieces ahead on a
  // thread of its own while the caller sends (dropping the source stops that
  // thread). Each call starts a new archive; the source keeps what it needs
  // alive by itself. It throws
  // berth::Error (Io) naming the file when a file cannot be read or shrank
  // since the walk.
  engine::BodySource archive(size_t piece_size = 1 << 20) const;

 private:
  std::shared_ptr<const std::vector<engine::TarSourceEntry>> entries_;
  std::string dockerfile_name_;
};

}  // namespace berth::builder
