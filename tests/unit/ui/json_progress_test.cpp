#include "ui/line_progress.h"

#include <catch2/catch.hpp>
#include <sstream>

using namespace berth::ui;

TEST_CASE("json progress prints one object per line", "[ui][json]") {
  struct Case {
    ProgressEvent event;
    std::string expected;
  };
  const Case cases[] = {
      {{"Container shop-web-1", "Started", ProgressState::Done, ""},
       R"({"id":"Container shop-web-1","text":"Started","state":"done"})"
       "\n"},
      {{"Network shop_default", "Creating", ProgressState::Working, ""},
       R"({"id":"Network shop_default","text":"Creating","state":"working"})"
       "\n"},
      {{"Container shop-db-1", "Recreate", ProgressState::Warning, "config changed: \"env\""},
       R"({"id":"Container shop-db-1","text":"Recreate","status":"config changed: \"env\"","state":"warning"})"
       "\n"},
      {{"Container x", "Error", ProgressState::Error, "bad \xff byte"},
       "{\"id\":\"Container x\",\"text\":\"Error\",\"status\":\"bad \xEF\xBF\xBD byte\",\"state\":\"error\"}\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.expected);
    std::ostringstream out;
    JsonProgress progress(out);
    progress.event(c.event);
    CHECK(out.str() == c.expected);
  }
}

TEST_CASE("json progress prints messages as tail objects", "[ui][json]") {
  std::ostringstream out;
  JsonProgress progress(out);
  progress.message("line \"one\"\nnext");
  CHECK(out.str() == "{\"tail\":true,\"text\":\"line \\\"one\\\"\\nnext\"}\n");
}

TEST_CASE("json progress reports layer bytes and output lines", "[ui][json]") {
  std::ostringstream out;
  JsonProgress progress(out);
  ProgressEvent layer{"853f80f621e3", "Downloading", ProgressState::Working, ""};
  layer.parent = "Image reg/app:v1";
  layer.current = 250;
  layer.total = 1000;
  progress.event(layer);
  layer.status = "Waiting";
  layer.current = layer.total = 0;
  progress.event(layer);
  progress.output("Service web", "Step 1/2 : FROM x");
  CHECK(out.str() ==
        R"({"id":"853f80f621e3","text":"Downloading","state":"working","parent_id":"Image reg/app:v1","current":250,"total":1000,"percent":25})"
        "\n"
        R"({"id":"853f80f621e3","text":"Waiting","state":"working","parent_id":"Image reg/app:v1"})"
        "\n"
        R"({"id":"Service web","output":"Step 1/2 : FROM x"})"
        "\n");
}
