#include "signal_watch.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include "berth/util/error.h"

namespace berth::service {
namespace {

// Only these are touched from the signal handler.
int signal_pipe[2] = {-1, -1};
std::atomic<int> signals_received{0};
struct sigaction previous_int {}, previous_term {};

constexpr char kQuit = 0;

extern "C" void on_watched_signal(int sig) {
  const int saved = errno;
  signals_received.fetch_add(1);
  const char byte = static_cast<char>(sig);
  [[maybe_unused]] auto ignored = ::write(signal_pipe[1], &byte, 1);
  errno = saved;
}

}  // namespace

SignalWatch::SignalWatch(std::function<void(int, int)> on_signal) : on_signal_(std::move(on_signal)) {
  if (::pipe2(signal_pipe, O_CLOEXEC) != 0)
    throw Error(ErrorKind::Io, std::string("pipe: ") + std::strerror(errno));
  signals_received = 0;
  struct sigaction action {};
  action.sa_handler = on_watched_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, &previous_int);
  ::sigaction(SIGTERM, &action, &previous_term);
  thread_ = std::thread([this] {
    int count = 0;
    for (;;) {
      char byte = kQuit;
      ssize_t n = ::read(signal_pipe[0], &byte, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || byte == kQuit) return;
      on_signal_(static_cast<unsigned char>(byte), ++count);
    }
  });
}

SignalWatch::~SignalWatch() {
  if (ignore_when_done_) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGINT, &ignore, nullptr);
    ::sigaction(SIGTERM, &ignore, nullptr);
  } else {
    ::sigaction(SIGINT, &previous_int, nullptr);
    ::sigaction(SIGTERM, &previous_term, nullptr);
  }
  const char quit = kQuit;
  [[maybe_unused]] auto ignored = ::write(signal_pipe[1], &quit, 1);
  thread_.join();
  ::close(signal_pipe[0]);
  ::close(signal_pipe[1]);
  signal_pipe[0] = signal_pipe[1] = -1;
}

int SignalWatch::count() const { return signals_received.load(); }

}  // namespace berth::service
