#pragma once
// Minimal ustar archives: what the engine takes for build contexts and
// archive uploads, and what it returns for archive downloads.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::engine {

struct TarEntry {
  std::string name;  // "dir/file"; directories end with "/"
  char type = '0';   // '0' file, '5' directory, '2' symlink
  std::string content;
  std::string link_target;
  unsigned mode = 0644;
  unsigned uid = 0;
  unsigned gid = 0;
  std::int64_t mtime = 0;
};

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
