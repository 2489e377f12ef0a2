#include "berth/model/byte_sizes.h"

#include <nlohmann/json.hpp>

#include "json_member.h"

namespace berth::model {
namespace {

using nlohmann::json;

void as_string(json& object, const char* key) {
  if (!object.is_object()) return;
  auto it = object.find(key);
  if (it != object.end() && it->is_number_integer()) *it = it->dump();
}

void service_byte_sizes(json& service) {
  for (const char* key : {"mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "shm_size"})
    as_string(service, key);
  if (json* build = json_member(service, "build")) as_string(*build, "shm_size");
  if (json* deploy = json_member(service, "deploy"))
    if (json* resources = json_member(*deploy, "resources"))
      for (const char* section : {"limits", "reservations"})
        if (json* s = json_member(*resources, section)) as_string(*s, "memory");
  if (json* volumes = json_member(service, "volumes"); volumes && volumes->is_array())
    for (auto& volume : *volumes)
      if (json* tmpfs = json_member(volume, "tmpfs")) as_string(*tmpfs, "size");
  if (json* blkio = json_member(service, "blkio_config"))
    for (const char* key : {"device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops"})
      if (json* list = json_member(*blkio, key); list && list->is_array())
        for (auto& device : *list) as_string(device, "rate");
}

}  // namespace

void byte_sizes_as_strings(json& project) {
  json* services = json_member(project, "services");
  if (!services || !services->is_object()) return;
  for (auto& [name, service] : services->items()) service_byte_sizes(service);
}

}  // namespace berth::model
