#pragma once
// Connects berth's stdin/stdout/stderr to a hijacked engine stream (exec,
// run, attach): stdin is copied to the stream (its write side closed at end
// of input), output is demultiplexed to stdout/stderr until the engine closes
// the stream. With a TTY the local terminal is put in raw mode for the
// duration and restored on every way out (return, exception, SIGINT, SIGTERM,
// SIGHUP), and the remote terminal is resized on start and on SIGWINCH.
#include <functional>

namespace berth::engine {
class DuplexStream;
}

namespace berth::service {

struct PumpOptions {
  bool forward_stdin = false;
  bool tty = false;  // the remote side has a TTY: raw mode here when stdin is a terminal
  // Called with (rows, columns) at start and whenever the local terminal
  // changes size; only when `tty` and stdout or stdin is a terminal.
  std::function<void(int, int)> resize;
};

void pump_stream(engine::DuplexStream& stream, const PumpOptions& options);

// Rows and columns of the terminal on stdin (else stdout); false when neither
// is a terminal.
bool local_terminal_size(int& rows, int& columns);

}  // namespace berth::service
