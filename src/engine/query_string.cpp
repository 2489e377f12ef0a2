#include "query_string.h"

#include <nlohmann/json.hpp>

namespace berth::engine {

std::string percent_encode(std::string_view text, std::string_view keep) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || keep.find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 0xf];
    }
  }
  return out;
}

std::string path_escape(std::string_view text) { return percent_encode(text, "/:@"); }

QueryString& QueryString::add(std::string_view key, std::string_view value) {
  text_ += text_.empty() ? '?' : '&';
  text_ += percent_encode(key);
  text_ += '=';
  text_ += percent_encode(value);
  return *this;
}

QueryString& QueryString::add_if_set(std::string_view key, std::string_view value) {
  if (!value.empty()) add(key, value);
  return *this;
}

QueryString& QueryString::add_flag(std::string_view key, bool value) { return add(key, value ? "1" : "0"); }

QueryString& QueryString::add_json(std::string_view key, const nlohmann::json& value) {
  return add(key, value.dump());
}

QueryString& QueryString::add_filters(const Filters& filters) {
  if (filters.empty()) return *this;
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [name, values] : filters) json[name] = values;
  return add_json("filters", json);
}

std::string QueryString::str() const { return text_; }

}  // namespace berth::engine
