#include "ui/line_progress.h"

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

TEST_CASE("plain progress prints a layer when its status changes, not per byte", "[ui][plain]") {
  std::ostringstream out;
  PlainProgress progress(out);
  auto layer = [](const char* status, std::int64_t current, std::int64_t total,
                  ProgressState state = ProgressState::Working) {
    ProgressEvent e{"853f80f621e3", status, state, ""};
    e.parent = "Image reg/app:v1";
    e.current = current;
    e.total = total;
    return e;
  };
  progress.event({"Image reg/app:v1", "Pulling", ProgressState::Working, ""});
  progress.event(layer("Pulling fs layer", 0, 0));
  progress.event(layer("Downloading", 100, 1000));
  progress.event(layer("Downloading", 600, 1000));
  progress.event(layer("Downloading", 1000, 1000));
  progress.event(layer("Pull complete", 0, 0, ProgressState::Done));
  progress.event({"Image reg/app:v1", "Pulled", ProgressState::Done, ""});
  CHECK(out.str() ==
        " Image reg/app:v1  Pulling\n"
        " 853f80f621e3  Pulling fs layer\n"
        " 853f80f621e3  Downloading\n"
        " 853f80f621e3  Pull complete\n"
        " Image reg/app:v1  Pulled\n");
}

TEST_CASE("plain progress prefixes a resource's output lines", "[ui][plain]") {
  std::ostringstream out;
  PlainProgress progress(out);
  progress.output("Service web", "Step 1/2 : FROM berth-local/busybox");
  CHECK(out.str() == "Service web | Step 1/2 : FROM berth-local/busybox\n");
}
