#pragma once
// ustar archives (with PAX records for long names): what the engine takes for
// build contexts and archive uploads, and what it returns for archive
// downloads.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "berth/engine/types.h"

namespace berth::engine {

struct TarEntry {
  std::string name;  // "dir/file"; directories end with "/"
  // '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device,
  // '5' directory, '6' FIFO
  char type = '0';
  std::string content;
  std::string link_target;  // symlink target, or the earlier entry a hard link names
  unsigned mode = 0644;     // permission bits plus setuid/setgid/sticky
  unsigned uid = 0;
  unsigned gid = 0;
  std::int64_t mtime = 0;
  unsigned dev_major = 0;
  unsigned dev_minor = 0;
};

inline constexpr size_t tar_block_size = 512;

// The header of `entry` for an archive written piece by piece (a build
// context streamed from disk): `content_size` bytes of content follow it
// (regular files only; `entry.content` is ignored). A name or link target
// too long for ustar's fields gets a PAX extended header first.
std::string tar_header(const TarEntry& entry, std::uint64_t content_size);
// Zero bytes that complete the last block after `content_size` bytes.
inline size_t tar_padding(std::uint64_t content_size) {
  return static_cast<size_t>((tar_block_size - content_size % tar_block_size) % tar_block_size);
}
// The two zero blocks that end an archive.
inline constexpr size_t tar_trailer_size = 2 * tar_block_size;

// --- archives read and written piece by piece, in constant memory (cp of a
// file of hundreds of MB)

// Reads an archive as it arrives, in pieces of any size, and hands each
// entry to a handler: its header, then its content (regular files, in
// pieces), then its end. Long names from GNU ('L', 'K') and PAX ('x') headers.
class TarStreamReader {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    // An entry's header (`entry.content` is empty; `size` bytes of content
    // follow for a regular file). Return false to ignore the rest of the
    // archive.
    virtual bool begin(const TarEntry& entry, std::uint64_t size) = 0;
    virtual void content(std::string_view bytes) = 0;
    virtual void end() = 0;
  };

  explicit TarStreamReader(Handler& handler) : handler_(handler) {}
  // Throws berth::Error (Io) on a malformed archive.
  void feed(std::string_view bytes);
  // Throws berth::Error (Io) when the archive stopped inside an entry.
  void finish() const;
  // Entries begun so far (the handler's refusals included).
  size_t entries() const { return entries_; }

 private:
  enum class State { Header, Content, Meta, Skip, Done };
  void header_complete();

  Handler& handler_;
  State state_ = State::Header;
  std::string header_;           // the header block being gathered
  std::string meta_;             // a GNU long name/link or PAX record block being gathered
  char meta_type_ = 0;
  std::uint64_t remaining_ = 0;  // content (or meta) bytes still to come
  size_t padding_ = 0;           // padding after them
  std::string long_name_, long_link_;
  size_t entries_ = 0;
};

// One entry of an archive produced while it is sent: a regular file's
// content is read from `source` when its turn comes (`size` bytes), or is
// `header.content` when `source` is empty.
struct TarSourceEntry {
  TarEntry header;
  std::string source;
  std::uint64_t size = 0;
};

// How TarPieces opens and names the files it reads.
struct TarReadOptions {
  // O_NOFOLLOW: a file that became a symlink since it was listed is an error,
  // not followed (a build context lists symlinks as symlinks).
  bool no_follow = false;
  // Errors name an entry's `source` path; when this is set, its name in the
  // archive followed by this instead (" in the build context").
  std::string archive_name_suffix;
};

// Produces the archive of `entries` in pieces of about `piece_size` bytes,
// reading each file when its turn comes, with at most one file open. next()
// throws berth::Error (Io) naming the file when a file cannot be read or
// shrank since it was listed.
class TarPieces {
 public:
  TarPieces(std::shared_ptr<const std::vector<TarSourceEntry>> entries, size_t piece_size,
            TarReadOptions options = {});
  ~TarPieces();
  TarPieces(const TarPieces&) = delete;
  TarPieces& operator=(const TarPieces&) = delete;

  // Replaces `chunk` with the next piece; false with the last one.
  bool next(std::string& chunk);

 private:
  std::string name_of(const TarSourceEntry& entry) const;
  void open_file(const TarSourceEntry& entry);
  void read_file_into(std::string& chunk);
  void close_file();

  std::shared_ptr<const std::vector<TarSourceEntry>> entries_;
  size_t piece_size_;
  TarReadOptions options_;
  size_t index_ = 0;
  int fd_ = -1;
  std::uint64_t remaining_ = 0;
  bool finished_ = false;
};

// A body source over a TarPieces of `entries`. Send a new tar_body for every
// request.
BodySource tar_body(std::vector<TarSourceEntry> entries, size_t piece_size = 1 << 20);

}  // namespace berth::engine
