#pragma once
// ustar archives (with PAX records for long names): what the engine takes for
// build contexts and archive uploads, and what it returns for archive
// downloads.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

class TarWriter {
 public:
  void add_file(const std::string& name, std::string_view content, unsigned mode = 0644);
  void add_directory(const std::string& name, unsigned mode = 0755);
  void add(const TarEntry& entry);
  // The archive so far plus the two zero blocks that end it.
  std::string finish() const;

 private:
  std::string data_;
};

// Regular files, directories and symlinks of an archive; long names from GNU
// ('L') and PAX ('x') headers. Throws berth::Error on a malformed archive.
std::vector<TarEntry> read_tar(std::string_view archive);

}  // namespace berth::engine
