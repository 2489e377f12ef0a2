#include "rules.h"

namespace berth::policy {

const std::vector<Rule>& rules() {
  // CIS Docker Benchmark v1.6.0 numbering: section 5 starts with "5.1
  // Ensure swarm mode is not Enabled, if not needed".
  static const std::vector<Rule> table{
      {"privileged", Severity::High, "5.5", "Ensure that privileged containers are not used", "RULE #3",
       "privileged", "`privileged: true`",
       "remove privileged: true; add only the capabilities the service needs with cap_add"},
      {"docker-socket", Severity::High, "5.32", "Ensure that the Docker socket is not mounted inside any containers",
       "RULE #1", "docker_socket", "the engine's socket is mounted",
       "do not mount the engine's socket; if the service must talk to the engine, put a filtering socket proxy in between"},
      {"sensitive-mount", Severity::High, "5.6", "Ensure sensitive host system directories are not mounted on containers",
       "RULE #8", "sensitive_mount", "a host system directory is mounted (a bind, or a volume that binds one)",
       "mount only the files the service needs, read-only, instead of a host system directory"},
      {"shared-propagation", Severity::Medium, "5.20", "Ensure mount propagation mode is not set to shared", "RULE #8",
       "shared_propagation", "a bind mount with shared or rshared propagation",
       "drop the propagation option (the default rprivate keeps host and container mounts apart)"},
      {"host-devices", Severity::Medium, "5.18", "Ensure that host devices are not directly exposed to containers",
       "RULE #3", "devices", "host devices exposed",
       "expose no host devices; if one is needed, list only it with the permissions it needs (e.g. \"/dev/x:/dev/x:r\")"},
      {"seccomp-disabled", Severity::High, "5.22", "Ensure the default seccomp profile is not Disabled", "RULE #6",
       "seccomp_unconfined", "`seccomp:unconfined` or `seccomp=unconfined`",
       "remove seccomp:unconfined; if a syscall is missing, use a custom profile that allows only it"},
      {"apparmor-disabled", Severity::High, "5.2", "Ensure that, if applicable, an AppArmor Profile is enabled",
       "RULE #6", "apparmor_unconfined", "`apparmor:unconfined` or `apparmor=unconfined`",
       "remove apparmor:unconfined; write a profile for the service if the default one is too narrow"},
      {"host-network", Severity::High, "5.10", "Ensure that the host's network namespace is not shared", "RULE #5",
       "host_network", "`network_mode: host`", "remove network_mode: host and publish the ports needed"},
      {"host-pid", Severity::High, "5.16", "Ensure that the host's process namespace is not shared", "RULE #3",
       "host_pid", "`pid: host`", "remove pid: host"},
      {"host-ipc", Severity::High, "5.17", "Ensure that the host's IPC namespace is not shared", "RULE #3", "host_ipc",
       "`ipc: host`", "remove ipc: host (share IPC with one service: ipc: service:NAME)"},
      {"host-uts", Severity::Medium, "5.21", "Ensure that the host's UTS namespace is not shared", "RULE #3",
       "host_uts", "`uts: host`", "remove uts: host"},
      {"host-userns", Severity::Medium, "5.31", "Ensure that the host's user namespaces are not shared", "RULE #11",
       "host_userns", "`userns_mode: host`", "remove userns_mode: host"},
      {"no-new-privileges", Severity::Medium, "5.26",
       "Ensure that the container is restricted from acquiring additional privileges", "RULE #4", "",
       "no-new-privileges is not set", "add security_opt: [\"no-new-privileges:true\"]"},
      {"security-opt-missing", Severity::Low, "5.3", "Ensure that, if applicable, SELinux security options are set",
       "RULE #6", "", "no `security_opt` at all",
       "set security_opt (no-new-privileges:true, and an AppArmor or SELinux profile where the host has one)"},
      {"ports-all-interfaces", Severity::Medium, "5.14",
       "Ensure that incoming container traffic is bound to a specific host interface", "RULE #5", "",
       "a port (or port range) published on all interfaces",
       "publish on one interface, e.g. \"127.0.0.1:8080:80\", unless the port must be reachable from other hosts"},
      {"privileged-port", Severity::Low, "5.8", "Ensure privileged ports are not mapped within containers", "RULE #5",
       "", "a host port below 1024", "publish on a host port above 1023"},
      {"memory-limit", Severity::Medium, "5.11", "Ensure that the memory usage for containers is limited", "RULE #7",
       "", "memory not limited", "set mem_limit (or deploy.resources.limits.memory)"},
      {"cpu-limit", Severity::Low, "5.12", "Ensure that CPU priority is set appropriately on containers", "RULE #7", "",
       "CPU not limited", "set cpus (or deploy.resources.limits.cpus)"},
      {"pids-limit", Severity::Medium, "5.29", "Ensure that the PIDs cgroup limit is used", "RULE #7", "",
       "processes not limited (no `pids_limit`, or 0 or -1)", "set pids_limit (berth's standard level sets 2048)"},
      {"cgroup-parent", Severity::Medium, "5.25", "Ensure that cgroup usage is confirmed", "RULE #7", "",
       "`cgroup_parent` is set", "remove cgroup_parent unless the parent cgroup is confirmed to exist and be limited"},
      {"healthcheck-missing", Severity::Low, "5.27", "Ensure that container health is checked at runtime", "RULE #7", "",
       "neither the service nor the image has a healthcheck",
       "add a healthcheck: (or a HEALTHCHECK to the image) so the engine and depends_on know when it is ready"},
      {"restart-unbounded", Severity::Low, "5.15", "Ensure that the 'on-failure' container restart policy is set to '5'",
       "RULE #7", "", "`always`, `unless-stopped`, or `on-failure` with a limit other than 5",
       "use restart: \"on-failure:5\" so a crashing service stops being restarted"},
      {"cap-added", Severity::Medium, "5.4", "Ensure that Linux kernel capabilities are restricted within containers",
       "RULE #3", "", "a capability is added (high for ALL, SYS_ADMIN, NET_ADMIN, ...)",
       "remove the capability unless the service cannot work without it"},
      {"caps-not-dropped", Severity::Medium, "5.4", "Ensure that Linux kernel capabilities are restricted within containers",
       "RULE #3", "", "the default capabilities are kept",
       "add cap_drop: [ALL] and cap_add only what the service needs (berth's standard level does this)"},
      {"shared-volume", Severity::Low, "", "", "RULE #8", "", "a named volume mounted writable by several services",
       "give each service its own volume, or mount the shared one read-only where only read"},
      {"root-user", Severity::Medium, "4.1", "Ensure that a user for the container has been created", "RULE #2", "root",
       "runs as root", "set user: (e.g. \"1000:1000\") or build the image with a non-root USER"},
      {"writable-rootfs", Severity::Low, "5.13", "Ensure that the container's root filesystem is mounted as read only",
       "RULE #8", "", "the root filesystem is writable",
       "set read_only: true with tmpfs for the directories the service writes (berth's strict level does this)"},
      // Dockerfiles of services built by the project.
      {"dockerfile-unpinned-base", Severity::Low, "4.2", "Ensure that containers use only trusted base images",
       "RULE #13", "", "`FROM` without a tag or with `:latest`",
       "pin the base image to a version tag, better to a digest (image@sha256:...)"},
      {"dockerfile-add", Severity::Low, "4.9", "Ensure that COPY is used instead of ADD in Dockerfiles", "RULE #13", "",
       "`ADD` instead of `COPY`", "use COPY for local files (and curl/wget plus a checksum for downloads)"},
      {"dockerfile-secret", Severity::High, "4.10", "Ensure secrets are not stored in Dockerfiles", "RULE #12", "",
       "a secret-looking `ARG` / `ENV`",
       "use a build secret: list it under the service's build.secrets (a top-level secret from a file or an "
       "environment variable) and read it in RUN --mount=type=secret,id=<name>; berth's BuildKit builds serve it "
       "without putting it in a layer or the history. At run time use secrets:"},
      {"dockerfile-user", Severity::Medium, "4.1", "Ensure that a user for the container has been created", "RULE #2",
       "", "the Dockerfile sets no non-root USER", "create an unprivileged user and end the Dockerfile with USER <name>"},
      {"dockerfile-healthcheck", Severity::Low, "4.6",
       "Ensure that HEALTHCHECK instructions have been added to container images", "RULE #7", "", "no `HEALTHCHECK`",
       "add a HEALTHCHECK instruction"},
  };
  return table;
}

const Rule& rule(std::string_view id) {
  for (const auto& r : rules())
    if (id == r.id) return r;
  throw Error(ErrorKind::Internal, "unknown audit rule " + std::string(id));
}

const Rule* rule_for_allow(std::string_view allow) {
  for (const auto& r : rules())
    if (!allow.empty() && allow == r.allow) return &r;
  return nullptr;
}

Finding make_finding(const Rule& rule, std::string service, SourceMark mark, std::string message,
                     std::string subject) {
  Finding f;
  f.id = rule.id;
  f.severity = rule.severity;
  f.service = std::move(service);
  f.mark = std::move(mark);
  f.cis = rule.cis;
  f.cis_title = rule.cis_title;
  f.owasp = rule.owasp;
  f.message = std::move(message);
  f.fix = rule.fix;
  f.subject = std::move(subject);
  return f;
}

}  // namespace berth::policy
