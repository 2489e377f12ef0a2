#pragma once
// docker compose prints its model with Go's encoders: a struct's fields come
// in the order compose-go declares them (`type, source, target, bind` for a
// mount; `mode, target, published, protocol` for a port; a service's
// `cgroup_parent` before `cgroup`, `command` after `cpu_shares`), a map's keys
// in sorted order, extension (`x-*`) keys after the fields. berth's
// documents are sorted maps; these tables give the printers compose's order.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string_view>
#include <vector>

namespace berth::model {

// What an object of the printed project is, as far as its key order goes.
enum class Shape : std::uint8_t {
  Other,  // keys in sorted order, and so are its children's
  Project,
  ServiceMap, Service, Build, Healthcheck, Port, Mount, MountBind, MountVolume, MountTmpfs,
  DependencyMap, Dependency, EnvFile, FileReference, UlimitMap, Ulimit, Logging,
  Deploy, UpdateConfig, Resources, Resource, RestartPolicy, Placement, DeviceRequest,
  ServiceNetworkMap, ServiceNetwork,
  NetworkMap, Network, Ipam, IpamPool, VolumeMap, Volume, FileObjectMap, FileObject,
};

// The fields of a struct shape in compose-go's order; empty for a map or
// Other (sorted keys).
const std::vector<std::string_view>& field_order(Shape shape);

// The place of `key` among a struct shape's fields; field_order(shape).size()
// for a key that is not one (an extension), and for every key of a map.
std::size_t field_rank(Shape shape, std::string_view key);

// The shape of the value under `key` of an object of `parent` shape; for a
// list, the shape of its items.
Shape child_shape(Shape parent, std::string_view key);

// The project document with every object's keys in the order docker
// compose's JSON prints them (its top level is a map: sorted).
nlohmann::ordered_json in_compose_order(const nlohmann::json& project);

}  // namespace berth::model
