// The .env parser (quotes, escapes, export, comments, interpolation inside).
#include "berth/loader/dotenv.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(dotenv) {
  auto lookup = [](const std::string& name) -> std::optional<std::string> {
    if (name == "A") return "1";
    return std::nullopt;
  };
  berth::fuzz::fuzz_guard([&] { berth::loader::parse_dotenv(input, ".env", lookup); });
}
