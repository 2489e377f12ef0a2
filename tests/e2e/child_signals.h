#pragma once
// posix_spawn attributes that give a child SIGPIPE's default action back:
// run_command ignores SIGPIPE in the test process (a child that exits before
// reading its input must not kill the test), berth must not inherit that.
#include <signal.h>
#include <spawn.h>

namespace berth::e2e {

class ChildSignals {
 public:
  ChildSignals() {
    posix_spawnattr_init(&attributes_);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigdefault(&attributes_, &defaults);
    posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETSIGDEF);
  }
  ~ChildSignals() { posix_spawnattr_destroy(&attributes_); }
  ChildSignals(const ChildSignals&) = delete;
  ChildSignals& operator=(const ChildSignals&) = delete;
  const posix_spawnattr_t* get() const { return &attributes_; }

 private:
  posix_spawnattr_t attributes_;
};

}  // namespace berth::e2e
