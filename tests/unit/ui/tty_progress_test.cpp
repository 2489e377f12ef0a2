#include "ui/tty_progress.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace berth::ui;
using namespace std::chrono_literals;

namespace {

struct FakeClock {
  std::chrono::steady_clock::time_point t{};
  TtyOptions options(int width, bool color = false) {
    TtyOptions o;
    o.width = width;
    o.color = color;
    o.animate = false;
    o.now = [this] { return t; };
    return o;
  }
};

std::string take(std::ostringstream& out) {
  std::string s = out.str();
  out.str("");
  return s;
}

}  // namespace

TEST_CASE("tty progress redraws the whole view in place", "[ui][tty]") {
  FakeClock clock;
  std::ostringstream out;
  TtyProgress tty(out, clock.options(40));

  tty.event({"Network p_default", "Creating", ProgressState::Working, ""});
  CHECK(take(out) ==
        "\033[?25l"
        "\033[2K[+] Running 0/1\n"
        "\033[2K ⠋ Network p_default  Creating     0.0s\n");

  clock.t += 300ms;
  tty.event({"Container p-web-1", "Creating", ProgressState::Working, ""});
  CHECK(take(out) ==
        "\033[2A"
        "\033[2K[+] Running 0/2\n"
        "\033[2K ⠸ Network p_default  Creating     0.3s\n"
        "\033[2K ⠸ Container p-web-1  Creating     0.0s\n");

  clock.t += 200ms;
  tty.event({"Network p_default", "Created", ProgressState::Done, ""});
  clock.t += 1s;
  tty.event({"Container p-web-1", "Error", ProgressState::Error, "exited with code 3"});
  take(out);
  tty.finish();
  CHECK(take(out) ==
        "\033[3A"
        "\033[2K[+] Running 2/2\n"
        "\033[2K ✔ Network p_default  Created      0.5s\n"
        "\033[2K ✘ Container p-web-1  Error exite… 1.2s\n"
        "\033[?25h");
}

TEST_CASE("tty progress lines fit the terminal width", "[ui][tty]") {
  struct Case {
    int width;
    std::string line;
  };
  const Case cases[] = {
      {60, " ✔ Container p-web-1  Started                          0.0s"},
      {30, " ✔ Container p-web-1  S… 0.0s"},
      {12, " ✔ Co… 0.0s"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.width);
    FakeClock clock;
    std::ostringstream out;
    TtyProgress tty(out, clock.options(c.width));
    tty.event({"Container p-web-1", "Started", ProgressState::Done, ""});
    std::string text = out.str();
    auto start = text.rfind("\033[2K") + 4;
    CHECK(text.substr(start, text.size() - start - 1) == c.line);
  }
}

TEST_CASE("tty progress colours icons and prints messages above the view", "[ui][tty]") {
  FakeClock clock;
  std::ostringstream out;
  TtyProgress tty(out, clock.options(40, true));
  tty.event({"Volume p_data", "Created", ProgressState::Done, ""});
  CHECK(take(out) ==
        "\033[?25l\033[2K[+] Running 1/1\n"
        "\033[2K \033[32m✔\033[0m Volume p_data  Created          \033[2m0.0s\033[0m\n");
  tty.message("a warning");
  CHECK(take(out) ==
        "\033[2A\033[J"
        "a warning\n"
        "\033[2K[+] Running 1/1\n"
        "\033[2K \033[32m✔\033[0m Volume p_data  Created          \033[2m0.0s\033[0m\n");
}

TEST_CASE("tty progress animates from its own thread and stops cleanly", "[ui][tty]") {
  std::ostringstream out;
  TtyOptions options;
  options.width = 50;
  options.interval = 5ms;
  {
    TtyProgress tty(out, options);
    tty.event({"Container p-a-1", "Starting", ProgressState::Working, ""});
    std::this_thread::sleep_for(40ms);
    tty.event({"Container p-a-1", "Started", ProgressState::Done, ""});
  }  // the destructor finishes and joins the ticker
  std::string text = out.str();
  CHECK(text.find("\033[?25h") != std::string::npos);
  CHECK(text.rfind("Started") > text.rfind("Starting"));
}

TEST_CASE("tty progress nests layers under their image with a byte bar", "[ui][tty]") {
  FakeClock clock;
  std::ostringstream out;
  TtyProgress tty(out, clock.options(80));
  auto layer = [](const char* id, const char* status, std::int64_t current, std::int64_t total,
                  ProgressState state = ProgressState::Working) {
    ProgressEvent e{id, status, state, ""};
    e.parent = "Image reg/app:v1";
    e.current = current;
    e.total = total;
    return e;
  };
  tty.event({"Image reg/app:v1", "Pulling", ProgressState::Working, ""});
  tty.event({"Container p-db-1", "Created", ProgressState::Done, ""});
  tty.event(layer("aaaaaaaaaaaa", "Downloading", 500000, 2000000));
  tty.event(layer("bbbbbbbbbbbb", "Pull complete", 0, 0, ProgressState::Done));
  take(out);
  tty.redraw();
  CHECK(take(out) ==
        "\033[5A"
        "\033[2K[+] Running 1/2\n"
        "\033[2K ⠋ Image reg/app:v1  Pulling 500kB/2MB                                     0.0s\n"
        "\033[2K   ⠋ aaaaaaaaaaaa  Downloading [=====>              ] 500kB/2MB            0.0s\n"
        "\033[2K   ✔ bbbbbbbbbbbb  Pull complete                                           0.0s\n"
        "\033[2K ✔ Container p-db-1  Created                                               0.0s\n");
}

TEST_CASE("tty progress keeps the last output lines under a working resource", "[ui][tty]") {
  FakeClock clock;
  std::ostringstream out;
  TtyProgress tty(out, clock.options(40));
  tty.event({"Service web", "Building", ProgressState::Working, ""});
  for (int i = 1; i <= 7; ++i) tty.output("Service web", "step " + std::to_string(i));
  take(out);
  tty.redraw();
  CHECK(take(out) ==
        "\033[7A"
        "\033[2K[+] Running 0/1\n"
        "\033[2K ⠋ Service web  Building           0.0s\n"
        "\033[2K     step 3\n"
        "\033[2K     step 4\n"
        "\033[2K     step 5\n"
        "\033[2K     step 6\n"
        "\033[2K     step 7\n");
  // Done: the lines go; failed: they stay, they say why.
  tty.event({"Service web", "Built", ProgressState::Done, ""});
  CHECK(take(out) ==
        "\033[7A"
        "\033[2K[+] Running 1/1\n"
        "\033[2K ✔ Service web  Built              0.0s\n"
        "\033[J");
}
