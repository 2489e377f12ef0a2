#include "berth/model/file_modes.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace berth::model {
namespace {

using nlohmann::json;

void modes_of(json& service, const char* key) {
  auto list = service.find(key);
  if (list == service.end() || !list->is_array()) return;
  for (auto& reference : *list) {
    if (!reference.is_object()) continue;
    auto mode = reference.find("mode");
    if (mode == reference.end() || !mode->is_number_integer()) continue;
    char octal[32];
    std::snprintf(octal, sizeof octal, "0%llo", static_cast<unsigned long long>(mode->get<std::int64_t>()));
    *mode = octal;
  }
}

}  // namespace

void file_modes_as_octal_strings(json& project) {
  auto services = project.find("services");
  if (!project.is_object() || services == project.end() || !services->is_object()) return;
  for (auto& [name, service] : services->items()) {
    if (!service.is_object()) continue;
    modes_of(service, "secrets");
    modes_of(service, "configs");
    if (auto build = service.find("build"); build != service.end() && build->is_object()) modes_of(*build, "secrets");
  }
}

}  // namespace berth::model
