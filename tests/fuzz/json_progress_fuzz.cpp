// The engine's JSON-lines streams (pull/build/push progress, events), split
// into lines as they arrive and converted as DockerEngine does.
#include <nlohmann/json.hpp>

#include "engine/json_convert.h"
#include "engine/json_lines.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(json_progress) {
  berth::fuzz::fuzz_guard([&] {
    berth::engine::JsonLineSplitter splitter;
    auto on_line = [](std::string_view line) {
      auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!json.is_object()) return;
      berth::engine::progress_from_json(json);
      berth::engine::event_from_json(json);
    };
    berth::fuzz::feed_in_pieces(input, 64, 1, [&](std::string_view piece) { splitter.feed(piece, on_line); });
    splitter.finish(on_line);
  });
}
