#pragma once
// File events from the kernel (inotify) for `watch`: directories watched
// recursively, a new or moved-in directory watched as it appears (and what
// it already holds reported), deletions and moves reported by path, a queue
// overflow reported so the caller can rescan. A watched file is watched
// through its directory, so editors that save by rename are seen. Internal
// to service.
#include <functional>
#include <map>
#include <set>
#include <string>

namespace berth::service {

// Whether a directory (absolute path) is worth watching.
using DirectoryFilter = std::function<bool(const std::string& directory)>;

// Every file and directory below `root` (or `root` itself when it is not a
// directory and exists) that `descend` lets the walk reach.
std::set<std::string> scan_tree(const std::string& root, const DirectoryFilter& descend);

class FileWatcher {
 public:
  using DirectoryFilter = service::DirectoryFilter;

  FileWatcher();
  ~FileWatcher();
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

  // Watches `path`: a directory with everything below it that `descend`
  // accepts, or a single file (or one that does not exist yet) through its
  // directory. Throws berth::Error (Io) when it cannot.
  void add(const std::string& path, DirectoryFilter descend);

  // For poll(2).
  int fd() const { return fd_; }

  struct Changes {
    std::set<std::string> paths;  // absolute: changed, created, deleted, moved from or to
    bool overflowed = false;      // events were lost: rescan what is watched
  };
  // Reads what the kernel has queued (never blocks) into `out`.
  void read(Changes& out);

  // Every file and directory below the watched roots that their filters
  // accept (after an overflow, or for an initial sync).
  std::set<std::string> scan() const;

 private:
  struct Root {
    std::string path;
    bool directory = false;
    DirectoryFilter descend;
  };
  void watch_tree(const std::string& directory, const Root& root, std::set<std::string>* found);
  const Root* root_of(const std::string& path) const;

  int fd_ = -1;
  std::map<std::string, Root> roots_;             // by path
  std::map<int, std::string> directories_;        // watch descriptor -> directory
  std::map<std::string, int> descriptors_;        // directory -> watch descriptor
};

}  // namespace berth::service
