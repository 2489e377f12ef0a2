#pragma once
// Lets one thread stop a call that another thread is blocked in (logs -f,
// events, wait, attach): cancelling runs every registered action, which
// unblocks the connection's read.
#include <functional>
#include <map>
#include <mutex>

namespace berth::engine {

class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  void cancel();
  bool cancelled() const;

  // Runs `action` on cancel (at once when already cancelled). The returned id
  // is for remove_action; once remove_action returns the action never runs.
  int add_action(std::function<void()> action);
  void remove_action(int id);

 private:
  mutable std::mutex mutex_;
  bool cancelled_ = false;
  int next_id_ = 0;
  std::map<int, std::function<void()>> actions_;
};

// Keeps an action registered for as long as it lives.
class CancelRegistration {
 public:
  CancelRegistration() = default;
  CancelRegistration(CancelToken* token, std::function<void()> action);
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;
  ~CancelRegistration() { reset(); }
  void reset();

 private:
  CancelToken* token_ = nullptr;
  int id_ = -1;
};

}  // namespace berth::engine
