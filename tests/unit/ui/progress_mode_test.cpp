#include "berth/ui/progress_mode.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "ui/line_progress.h"
#include "berth/ui/quiet_progress.h"
#include "ui/tty_progress.h"
#include "berth/util/error.h"

using namespace berth::ui;

TEST_CASE("progress modes parse and pick a presenter", "[ui][progress_mode]") {
  struct Case {
    const char* text;
    bool terminal;
    const char* kind;
  };
  const Case cases[] = {
      {"auto", true, "tty"},   {"auto", false, "plain"}, {"", false, "plain"},   {"tty", false, "tty"},
      {"plain", true, "plain"}, {"json", true, "json"},  {"quiet", true, "quiet"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text, c.terminal);
    std::ostringstream out;
    auto sink = make_progress_sink(parse_progress_mode(c.text), {out, c.terminal, 80, false});
    std::string kind = dynamic_cast<TtyProgress*>(sink.get())     ? "tty"
                       : dynamic_cast<PlainProgress*>(sink.get()) ? "plain"
                       : dynamic_cast<JsonProgress*>(sink.get())  ? "json"
                       : dynamic_cast<QuietProgress*>(sink.get()) ? "quiet"
                                                                  : "?";
    CHECK(kind == c.kind);
  }
}

TEST_CASE("an unknown progress mode is a usage error naming the choices", "[ui][progress_mode]") {
  try {
    parse_progress_mode("fancy");
    FAIL("no error");
  } catch (const berth::Error& e) {
    CHECK(e.kind() == berth::ErrorKind::Usage);
    CHECK(std::string(e.what()).find("fancy") != std::string::npos);
    CHECK(std::string(e.what()).find("plain") != std::string::npos);
  }
}

TEST_CASE("quiet progress prints nothing", "[ui][progress_mode]") {
  std::ostringstream out;
  auto sink = make_progress_sink(ProgressMode::Quiet, {out, false, 80, false});
  sink->event({"Container a-b-1", "Started", ProgressState::Done, ""});
  sink->message("hello");
  sink->finish();
  CHECK(out.str().empty());
}
