#pragma once
// Streaming commands (attached up, logs -f, run) react to Ctrl-C/SIGTERM by
// doing real work: cancelling engine calls, stopping or signalling
// containers. That cannot happen inside a signal handler, so SignalWatch
// turns SIGINT and SIGTERM into calls on a thread of its own. The handlers it
// replaces are restored when it goes away. One SignalWatch at a time.
#include <atomic>
#include <functional>
#include <thread>

namespace berth::service {

class SignalWatch {
 public:
  // `on_signal(signal, count)`: count is 1 for the first signal received
  // while watching, 2 for the second... Called on the watch thread.
  explicit SignalWatch(std::function<void(int signal, int count)> on_signal);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  // How many signals arrived so far.
  int count() const;

  // When the watch ends, SIGINT and SIGTERM stay ignored instead of getting
  // their previous handling back: for a command that ends because of a
  // signal (logs -f), a second one sent a moment later (a process group's,
  // timeout(1)'s) must not kill it on its way out.
  void ignore_when_done() { ignore_when_done_ = true; }

 private:
  std::function<void(int, int)> on_signal_;
  std::atomic<bool> ignore_when_done_{false};
  std::thread thread_;
};

}  // namespace berth::service
