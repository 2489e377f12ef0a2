// The engine's JSON-lines streams (pull/build/push progress, events), split
// into lines as they arrive and converted as DockerEngine does.
#include <nlohmann/json.hpp>

#include "engine/json_convert.h"
#include "engine/json_lines.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(json_progress) {
  if (input.empty()) return;
  const size_t piece = static_cast<unsigned char>(input[0]) % 64 + 1;
  input.remove_prefix(1);
  berth::fuzz::fuzz_guard([&] {
    berth::engine::JsonLineSplitter splitter;
    auto on_line = [](std::string_view line) {
      auto json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!json.is_object()) return;
      berth::engine::progress_from_json(json);
      berth::engine::event_from_json(json);
    };
    while (!input.empty()) {
      auto chunk = input.substr(0, piece);
      splitter.feed(chunk, on_line);
      input.remove_prefix(chunk.size());
    }
    splitter.finish(on_line);
  });
}
