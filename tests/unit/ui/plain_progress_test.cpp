#include "berth/ui/plain_progress.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace berth::ui;

TEST_CASE("plain progress prints one line per event", "[ui][plain]") {
  struct Case {
    ProgressEvent event;
    std::string expected;
  };
  const Case cases[] = {
      {{"Container shop-web-1", "Started", ProgressState::Done, ""}, " Container shop-web-1  Started\n"},
      {{"Network shop_default", "Creating", ProgressState::Working, ""}, " Network shop_default  Creating\n"},
      {{"Container shop-db-1", "Recreate", ProgressState::Working, "config changed: environment"},
       " Container shop-db-1  Recreate  config changed: environment\n"},
      {{"Container shop-db-1", "Error", ProgressState::Error, "exited with code 3"},
       " Container shop-db-1  Error  exited with code 3\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    std::ostringstream out;
    PlainProgress progress(out);
    progress.event(c.event);
    progress.finish();
    CHECK(out.str() == c.expected);
  }
}

TEST_CASE("plain progress prints messages as they are", "[ui][plain]") {
  std::ostringstream out;
  PlainProgress progress(out);
  progress.message("DRY-RUN MODE - Container shop-web-1  Create");
  progress.event({"Volume shop_data", "Created", ProgressState::Done, ""});
  CHECK(out.str() == "DRY-RUN MODE - Container shop-web-1  Create\n Volume shop_data  Created\n");
}
