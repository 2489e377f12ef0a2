#include "berth/model/field_order.h"

#include <algorithm>
#include <array>
#include <unordered_map>
#include <nlohmann/json.hpp>

namespace berth::model {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using Fields = std::vector<std::string_view>;

// compose-go's types (ServiceConfig, BuildConfig, ServicePortConfig, ...):
// the yaml names of their fields, in declaration order.
const Fields kService = {
    "profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add", "cap_drop",
    "cgroup_parent", "cgroup", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period",
    "cpu_rt_runtime", "cpus", "cpuset", "cpu_shares", "command", "configs", "container_name", "credential_spec",
    "depends_on", "deploy", "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "dockerfile",
    "domainname", "entrypoint", "provider", "environment", "env_file", "expose", "extends", "external_links",
    "extra_hosts", "group_add", "gpus", "hostname", "healthcheck", "image", "init", "ipc", "isolation", "labels",
    "label_file", "links", "logging", "log_driver", "log_opt", "mem_limit", "mem_reservation", "memswap_limit",
    "mem_swappiness", "mac_address", "models", "net", "network_mode", "networks", "oom_kill_disable",
    "oom_score_adj", "pid", "pids_limit", "platform", "ports", "privileged", "pull_policy", "read_only", "restart",
    "runtime", "scale", "secrets", "security_opt", "shm_size", "stdin_open", "stop_grace_period", "stop_signal",
    "storage_opt", "sysctls", "tmpfs", "tty", "ulimits", "use_api_socket", "user", "userns_mode", "uts",
    "volume_driver", "volumes", "volumes_from", "working_dir", "post_start", "pre_stop"};
const Fields kBuild = {"context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom",
                       "ssh", "labels", "cache_from", "cache_to", "no_cache", "no_cache_filter",
                       "additional_contexts", "pull", "extra_hosts", "isolation", "network", "target", "secrets",
                       "shm_size", "tags", "ulimits", "platforms", "privileged"};
const Fields kHealthcheck = {"test", "timeout", "interval", "retries", "start_period", "start_interval", "disable"};
const Fields kPort = {"name", "mode", "host_ip", "target", "published", "protocol", "app_protocol"};
const Fields kMount = {"type", "source", "target", "read_only", "consistency", "bind", "volume", "tmpfs", "image"};
const Fields kMountBind = {"selinux", "propagation", "create_host_path", "recursive"};
const Fields kMountVolume = {"labels", "nocopy", "subpath"};
const Fields kMountTmpfs = {"size", "mode"};
const Fields kDependency = {"condition", "restart", "required"};
const Fields kEnvFile = {"path", "required", "format"};
const Fields kFileReference = {"source", "target", "uid", "gid", "mode"};
const Fields kUlimit = {"single", "soft", "hard"};
const Fields kLogging = {"driver", "options"};
const Fields kDeploy = {"mode", "replicas", "labels", "update_config", "rollback_config", "resources",
                        "restart_policy", "placement", "endpoint_mode"};
const Fields kUpdateConfig = {"parallelism", "delay", "failure_action", "monitor", "max_failure_ratio", "order"};
const Fields kResources = {"limits", "reservations"};
const Fields kResource = {"cpus", "memory", "pids", "devices", "generic_resources"};
const Fields kRestartPolicy = {"condition", "delay", "max_attempts", "window"};
const Fields kPlacement = {"constraints", "preferences", "max_replicas_per_node"};
const Fields kDeviceRequest = {"capabilities", "driver", "count", "device_ids", "options"};
const Fields kServiceNetwork = {"aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address",
                                "ipv6_address", "link_local_ips", "mac_address", "priority"};
const Fields kNetwork = {"name", "driver", "driver_opts", "ipam", "external", "internal", "attachable", "labels",
                         "enable_ipv4", "enable_ipv6"};
const Fields kIpam = {"driver", "config"};
const Fields kIpamPool = {"subnet", "gateway", "ip_range", "aux_addresses"};
const Fields kVolume = {"name", "driver", "driver_opts", "external", "labels"};
const Fields kFileObject = {"name", "file", "environment", "content", "external", "labels", "driver", "driver_opts",
                            "template_driver"};
const Fields kProject = {"name", "services", "networks", "volumes", "secrets", "configs", "models"};
const Fields kNone = {};

void append_ordered(const json& value, Shape shape, ordered_json& out);

ordered_json ordered(const json& value, Shape shape) {
  ordered_json out;
  append_ordered(value, shape, out);
  return out;
}

void append_ordered(const json& value, Shape shape, ordered_json& out) {
  if (value.is_array()) {
    out = ordered_json::array();
    for (const auto& item : value) out.push_back(ordered(item, shape));
    return;
  }
  if (!value.is_object()) {
    out = ordered_json(value);
    return;
  }
  out = ordered_json::object();
  const Fields& fields = shape == Shape::Project ? kNone : field_order(shape);
  for (std::string_view field : fields)
    if (auto it = value.find(std::string(field)); it != value.end())
      out[it.key()] = ordered(*it, child_shape(shape, field));
  for (const auto& [key, item] : value.items())
    if (std::find(fields.begin(), fields.end(), key) == fields.end())
      out[key] = ordered(item, child_shape(shape, key));
}

}  // namespace

const Fields& field_order(Shape shape) {
  switch (shape) {
    case Shape::Project: return kProject;
    case Shape::Service: return kService;
    case Shape::Build: return kBuild;
    case Shape::Healthcheck: return kHealthcheck;
    case Shape::Port: return kPort;
    case Shape::Mount: return kMount;
    case Shape::MountBind: return kMountBind;
    case Shape::MountVolume: return kMountVolume;
    case Shape::MountTmpfs: return kMountTmpfs;
    case Shape::Dependency: return kDependency;
    case Shape::EnvFile: return kEnvFile;
    case Shape::FileReference: return kFileReference;
    case Shape::Ulimit: return kUlimit;
    case Shape::Logging: return kLogging;
    case Shape::Deploy: return kDeploy;
    case Shape::UpdateConfig: return kUpdateConfig;
    case Shape::Resources: return kResources;
    case Shape::Resource: return kResource;
    case Shape::RestartPolicy: return kRestartPolicy;
    case Shape::Placement: return kPlacement;
    case Shape::DeviceRequest: return kDeviceRequest;
    case Shape::ServiceNetwork: return kServiceNetwork;
    case Shape::Network: return kNetwork;
    case Shape::Ipam: return kIpam;
    case Shape::IpamPool: return kIpamPool;
    case Shape::Volume: return kVolume;
    case Shape::FileObject: return kFileObject;
    default: return kNone;
  }
}

std::size_t field_rank(Shape shape, std::string_view key) {
  // One index per shape, built once (thread-safe: the YAML writer runs on
  // two threads): the writer asks for every key of every object it prints.
  using Index = std::unordered_map<std::string_view, std::size_t>;
  static const std::array<Index, static_cast<std::size_t>(Shape::FileObject) + 1> indexes = [] {
    std::array<Index, static_cast<std::size_t>(Shape::FileObject) + 1> built;
    for (std::size_t s = 0; s < built.size(); ++s) {
      const Fields& fields = field_order(static_cast<Shape>(s));
      for (std::size_t i = 0; i < fields.size(); ++i) built[s].emplace(fields[i], i);
    }
    return built;
  }();
  const Index& index = indexes[static_cast<std::size_t>(shape)];
  auto it = index.find(key);
  return it == index.end() ? field_order(shape).size() : it->second;
}

Shape child_shape(Shape parent, std::string_view key) {
  switch (parent) {
    case Shape::Project:
      if (key == "services") return Shape::ServiceMap;
      if (key == "networks") return Shape::NetworkMap;
      if (key == "volumes") return Shape::VolumeMap;
      if (key == "secrets" || key == "configs") return Shape::FileObjectMap;
      return Shape::Other;
    case Shape::ServiceMap: return Shape::Service;
    case Shape::Service:
      if (key == "build") return Shape::Build;
      if (key == "healthcheck") return Shape::Healthcheck;
      if (key == "ports") return Shape::Port;
      if (key == "volumes") return Shape::Mount;
      if (key == "depends_on") return Shape::DependencyMap;
      if (key == "env_file") return Shape::EnvFile;
      if (key == "secrets" || key == "configs") return Shape::FileReference;
      if (key == "ulimits") return Shape::UlimitMap;
      if (key == "logging") return Shape::Logging;
      if (key == "deploy") return Shape::Deploy;
      if (key == "gpus") return Shape::DeviceRequest;
      if (key == "networks") return Shape::ServiceNetworkMap;
      return Shape::Other;
    case Shape::Build:
      if (key == "secrets") return Shape::FileReference;
      if (key == "ulimits") return Shape::UlimitMap;
      return Shape::Other;
    case Shape::Mount:
      if (key == "bind") return Shape::MountBind;
      if (key == "volume") return Shape::MountVolume;
      if (key == "tmpfs") return Shape::MountTmpfs;
      return Shape::Other;
    case Shape::DependencyMap: return Shape::Dependency;
    case Shape::UlimitMap: return Shape::Ulimit;
    case Shape::Deploy:
      if (key == "update_config" || key == "rollback_config") return Shape::UpdateConfig;
      if (key == "resources") return Shape::Resources;
      if (key == "restart_policy") return Shape::RestartPolicy;
      if (key == "placement") return Shape::Placement;
      return Shape::Other;
    case Shape::Resources: return key == "limits" || key == "reservations" ? Shape::Resource : Shape::Other;
    case Shape::Resource: return key == "devices" ? Shape::DeviceRequest : Shape::Other;
    case Shape::ServiceNetworkMap: return Shape::ServiceNetwork;
    case Shape::NetworkMap: return Shape::Network;
    case Shape::Network: return key == "ipam" ? Shape::Ipam : Shape::Other;
    case Shape::Ipam: return key == "config" ? Shape::IpamPool : Shape::Other;
    case Shape::VolumeMap: return Shape::Volume;
    case Shape::FileObjectMap: return Shape::FileObject;
    default: return Shape::Other;
  }
}

ordered_json in_compose_order(const json& project) { return ordered(project, Shape::Project); }

}  // namespace berth::model
