#include "berth/ui/terminal.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace berth::ui {

bool is_terminal(int fd) { return ::isatty(fd) == 1; }

int terminal_width(int fd, int fallback) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    try {
      int n = std::stoi(columns);
      if (n > 0) return n;
    } catch (...) {
    }
  }
  return fallback;
}

}  // namespace berth::ui
