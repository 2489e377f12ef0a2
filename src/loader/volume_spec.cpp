#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "berth/loader/short_syntax.h"
#include "berth/model/json_object.h"
#include "berth/util/error.h"
#include "berth/util/strings.h"

namespace berth::loader {
namespace {

bool looks_like_path(const std::string& source) {
  return !source.empty() && (source.front() == '.' || source.front() == '/' || source.front() == '~');
}

bool is_propagation(const std::string& option) {
  return option == "shared" || option == "rshared" || option == "slave" || option == "rslave" ||
         option == "private" || option == "rprivate";
}

}  // namespace

nlohmann::json parse_volume_spec(const std::string& spec) {
  if (spec.empty()) throw Error(ErrorKind::Config, "invalid volume \"\": empty specification");
  std::vector<std::string> parts = split(spec, ":");
  if (parts.size() > 3)
    throw Error(ErrorKind::Config, "invalid volume \"" + spec + "\": too many colons");
  for (const auto& part : parts)
    if (part.empty())
      throw Error(ErrorKind::Config, "invalid volume \"" + spec + "\": empty section between colons");

  nlohmann::json volume = nlohmann::json::object();
  if (parts.size() == 1) {
    volume["type"] = "volume";
    volume["target"] = parts[0];
    volume["volume"] = nlohmann::json::object();
    return volume;
  }
  const std::string& source = parts[0];
  bool bind = looks_like_path(source);
  volume["type"] = bind ? "bind" : "volume";
  volume["source"] = source;
  volume["target"] = parts[1];
  nlohmann::json bind_options = model::json_object({{"create_host_path", true}});
  nlohmann::json volume_options = nlohmann::json::object();
  if (parts.size() == 3) {
    std::string options = parts[2];
    size_t pos = 0;
    while (pos <= options.size()) {
      auto comma = options.find(',', pos);
      std::string option = options.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
      if (option == "ro") {
        volume["read_only"] = true;
      } else if (option == "rw") {
        // the default
      } else if (option == "z" || option == "Z") {
        bind_options["selinux"] = option;
      } else if (option == "nocopy") {
        volume_options["nocopy"] = true;
      } else if (is_propagation(option)) {
        bind_options["propagation"] = option;
      } else if (option == "consistent" || option == "cached" || option == "delegated") {
        volume["consistency"] = option;
      } else {
        throw Error(ErrorKind::Config,
                    "invalid volume \"" + spec + "\": unknown mode \"" + option + "\"");
      }
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
  }
  if (bind) volume["bind"] = std::move(bind_options);
  else volume["volume"] = std::move(volume_options);
  return volume;
}

}  // namespace berth::loader
