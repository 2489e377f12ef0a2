#pragma once
// Builds the query part of Docker Engine API URLs.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "berth/engine/types.h"

namespace berth::engine {

// Percent-encodes everything but unreserved characters and `keep`.
std::string percent_encode(std::string_view text, std::string_view keep = {});

// A path segment such as a container or image name ("/" and ":" kept, since
// the engine routes image names like "library/busybox:latest" as they are).
std::string path_escape(std::string_view text);

class QueryString {
 public:
  QueryString& add(std::string_view key, std::string_view value);
  QueryString& add_if_set(std::string_view key, std::string_view value);  // skipped when empty
  QueryString& add_flag(std::string_view key, bool value);               // "1"/"0"
  QueryString& add_json(std::string_view key, const nlohmann::json& value);
  QueryString& add_filters(const Filters& filters);                      // skipped when empty
  // "" or "?a=1&b=2".
  std::string str() const;

 private:
  std::string text_;
};

}  // namespace berth::engine
