#pragma once
// The local side of `berth cp`: files and directories listed for a tar
// archive (read only while it is sent), and an archive from the engine
// extracted onto the local filesystem while it arrives. Internal to service.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "berth/engine/tar.h"

namespace berth::service {

// Lists `local` for an archive under `name` (a directory recursively, in name
// order so archives are reproducible); files are read only while the archive
// is sent. `follow` dereferences `local` itself when it is a symlink (-L);
// links inside a directory are kept as links.
void list_local(std::vector<engine::TarSourceEntry>& out, const std::filesystem::path& local, const std::string& name,
                bool follow);

// Writes a container archive to the local filesystem while it arrives: the
// archive's first path component (its root) is replaced by the target that
// `choose_target` picks from the first entry. With -L, a first entry that is
// a symlink stops the extraction and is kept in link_target() instead.
// Entries that would land outside the target are refused.
class LocalExtractor final : public engine::TarStreamReader::Handler {
 public:
  using ChooseTarget =
      std::function<std::filesystem::path(const engine::TarEntry& first, const std::string& root)>;

  LocalExtractor(ChooseTarget choose_target, bool archive, bool follow_link)
      : choose_target_(std::move(choose_target)), archive_(archive), follow_link_(follow_link) {}
  ~LocalExtractor() override { close_file(); }
  LocalExtractor(const LocalExtractor&) = delete;
  LocalExtractor& operator=(const LocalExtractor&) = delete;

  bool begin(const engine::TarEntry& e, std::uint64_t) override;
  void content(std::string_view bytes) override;
  void end() override;

  // After the archive: directories get their times last, so that writing
  // their children did not change them again.
  void finish();

  bool started() const { return started_; }
  const std::optional<std::string>& link_target() const { return link_target_; }

 private:
  std::filesystem::path local_path(const std::string& archived) const;
  void close_file();

  ChooseTarget choose_target_;
  bool archive_;
  bool follow_link_;
  bool started_ = false;
  bool skipped_ = false;
  std::optional<std::string> link_target_;
  std::string root_;
  std::filesystem::path target_;
  std::filesystem::path path_;
  engine::TarEntry entry_;
  int fd_ = -1;
  std::vector<std::pair<std::filesystem::path, std::int64_t>> directories_;
};

}  // namespace berth::service
