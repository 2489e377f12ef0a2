#include "stream_pump.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <csignal>
#include <string>
#include <thread>

#include "berth/engine/engine.h"
#include "berth/util/error.h"

namespace berth::service {
namespace {

// Signal handlers may only touch these.
int wake_pipe[2] = {-1, -1};
termios saved_termios;
std::atomic<bool> terminal_is_raw{false};

extern "C" void on_window_change(int) {
  if (wake_pipe[1] >= 0) {
    const char w = 'w';
    [[maybe_unused]] auto ignored = ::write(wake_pipe[1], &w, 1);
  }
}

extern "C" void on_fatal_signal(int sig) {
  if (terminal_is_raw.exchange(false)) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error(ErrorKind::Io, std::string("writing output: ") + std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// Raw mode on the local terminal and the handlers that undo it; everything
// restored by the destructor.
class TerminalSession {
 public:
  explicit TerminalSession(bool raw) {
    if (::pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
      throw Error(ErrorKind::Io, std::string("pipe: ") + std::strerror(errno));
    struct sigaction action {};
    sigemptyset(&action.sa_mask);
    action.sa_handler = on_window_change;
    action.sa_flags = SA_RESTART;
    ::sigaction(SIGWINCH, &action, &old_winch_);
    if (raw && ::isatty(STDIN_FILENO) && ::tcgetattr(STDIN_FILENO, &saved_termios) == 0) {
      action.sa_handler = on_fatal_signal;
      action.sa_flags = 0;
      for (int i = 0; i < 3; ++i) ::sigaction(kFatal[i], &action, &old_fatal_[i]);
      termios raw_mode = saved_termios;
      ::cfmakeraw(&raw_mode);
      terminal_is_raw = true;
      ::tcsetattr(STDIN_FILENO, TCSANOW, &raw_mode);
      fatal_installed_ = true;
    }
  }
  ~TerminalSession() {
    if (terminal_is_raw.exchange(false)) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    if (fatal_installed_)
      for (int i = 0; i < 3; ++i) ::sigaction(kFatal[i], &old_fatal_[i], nullptr);
    ::sigaction(SIGWINCH, &old_winch_, nullptr);
    int r = wake_pipe[0], w = wake_pipe[1];
    wake_pipe[0] = wake_pipe[1] = -1;
    ::close(r);
    ::close(w);
  }
  TerminalSession(const TerminalSession&) = delete;
  TerminalSession& operator=(const TerminalSession&) = delete;

 private:
  static constexpr int kFatal[3] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_winch_ {};
  struct sigaction old_fatal_[3] {};
  bool fatal_installed_ = false;
};

// Runs on its own thread: stdin -> stream, and resize on SIGWINCH, until
// told to quit through the wake pipe.
void forward_input(engine::DuplexStream& stream, const PumpOptions& options) {
  bool stdin_open = options.forward_stdin;
  std::string buffer(32 * 1024, '\0');
  for (;;) {
    pollfd fds[2] = {{wake_pipe[0], POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
    int n = ::poll(fds, stdin_open ? 2 : 1, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[0].revents & POLLIN) {
      char signals[64];
      ssize_t got = ::read(wake_pipe[0], signals, sizeof signals);
      for (ssize_t i = 0; i < got; ++i) {
        if (signals[i] == 'q') return;
        if (signals[i] == 'w' && options.resize) {
          int rows = 0, columns = 0;
          try {
            if (local_terminal_size(rows, columns)) options.resize(rows, columns);
          } catch (const Error&) {
            // The process may be gone already; the next read ends the session.
          }
        }
      }
    }
    if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t got = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      try {
        if (got <= 0) {
          stdin_open = false;
          stream.close_write();
        } else {
          stream.write(std::string_view(buffer.data(), static_cast<size_t>(got)));
        }
      } catch (const Error&) {
        stdin_open = false;  // the engine closed its side; output tells the rest
      }
    }
  }
}

}  // namespace

bool local_terminal_size(int& rows, int& columns) {
  winsize size{};
  for (int fd : {STDIN_FILENO, STDOUT_FILENO}) {
    if (::isatty(fd) && ::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_row > 0) {
      rows = size.ws_row;
      columns = size.ws_col;
      return true;
    }
  }
  return false;
}

void pump_stream(engine::DuplexStream& stream, const PumpOptions& options) {
  TerminalSession terminal(options.tty && options.forward_stdin);
  if (options.tty && options.resize) {
    int rows = 0, columns = 0;
    if (local_terminal_size(rows, columns)) {
      try {
        options.resize(rows, columns);
      } catch (const Error&) {
        // A process that already exited cannot be resized; its output still counts.
      }
    }
  }
  std::thread input([&] { forward_input(stream, options); });
  auto stop_input = [&] {
    const char q = 'q';
    [[maybe_unused]] auto ignored = ::write(wake_pipe[1], &q, 1);
    input.join();
  };
  try {
    engine::read_all_output(stream, [](engine::StreamKind kind, std::string_view bytes) {
      write_all(kind == engine::StreamKind::Stderr ? STDERR_FILENO : STDOUT_FILENO, bytes);
    });
  } catch (...) {
    stop_input();
    throw;
  }
  stop_input();
}

}  // namespace berth::service
