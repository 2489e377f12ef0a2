#include "rules.h"

namespace berth::policy {

const std::vector<Rule>& rules() {
  static const std::vector<Rule> table{
      {"privileged", Severity::High, "5.4", "RULE #3", "privileged",
       "remove privileged: true; add only the capabilities the service needs with cap_add"},
      {"docker-socket", Severity::High, "5.31", "RULE #1", "docker_socket",
       "do not mount the engine's socket; if the service must talk to the engine, put a filtering socket proxy in between"},
      {"sensitive-mount", Severity::High, "5.5", "RULE #8", "sensitive_mount",
       "mount only the files the service needs, read-only, instead of a host system directory"},
      {"shared-propagation", Severity::Medium, "5.19", "RULE #8", "shared_propagation",
       "drop the propagation option (the default rprivate keeps host and container mounts apart)"},
      {"host-devices", Severity::Medium, "5.17", "RULE #3", "devices",
       "expose no host devices; if one is needed, list only it with the permissions it needs (e.g. \"/dev/x:/dev/x:r\")"},
      {"seccomp-disabled", Severity::High, "5.21", "RULE #6", "seccomp_unconfined",
       "remove seccomp:unconfined; if a syscall is missing, use a custom profile that allows only it"},
      {"apparmor-disabled", Severity::High, "5.1", "RULE #6", "apparmor_unconfined",
       "remove apparmor:unconfined; write a profile for the service if the default one is too narrow"},
      {"host-network", Severity::High, "5.9", "RULE #5", "host_network",
       "remove network_mode: host and publish the ports needed"},
      {"host-pid", Severity::High, "5.15", "RULE #3", "host_pid", "remove pid: host"},
      {"host-ipc", Severity::High, "5.16", "RULE #3", "host_ipc",
       "remove ipc: host (share IPC with one service: ipc: service:NAME)"},
      {"host-uts", Severity::Medium, "5.20", "RULE #3", "host_uts", "remove uts: host"},
      {"host-userns", Severity::Medium, "5.30", "RULE #11", "host_userns", "remove userns_mode: host"},
      {"no-new-privileges", Severity::Medium, "5.25", "RULE #4", "", "add security_opt: [\"no-new-privileges:true\"]"},
      {"security-opt-missing", Severity::Low, "5.2", "RULE #6", "",
       "set security_opt (no-new-privileges:true, and an AppArmor or SELinux profile where the host has one)"},
      {"ports-all-interfaces", Severity::Medium, "5.13", "RULE #5", "",
       "publish on one interface, e.g. \"127.0.0.1:8080:80\", unless the port must be reachable from other hosts"},
      {"privileged-port", Severity::Low, "5.7", "RULE #5", "", "publish on a host port above 1023"},
      {"memory-limit", Severity::Medium, "5.10", "RULE #7", "", "set mem_limit (or deploy.resources.limits.memory)"},
      {"cpu-limit", Severity::Low, "5.11", "RULE #7", "", "set cpus (or deploy.resources.limits.cpus)"},
      {"pids-limit", Severity::Medium, "5.28", "RULE #7", "", "set pids_limit (berth's standard level sets 2048)"},
      {"cgroup-parent", Severity::Medium, "5.24", "RULE #7", "",
       "remove cgroup_parent unless the parent cgroup is confirmed to exist and be limited"},
      {"healthcheck-missing", Severity::Low, "5.26", "RULE #7", "",
       "add a healthcheck: (or a HEALTHCHECK to the image) so the engine and depends_on know when it is ready"},
      {"restart-unbounded", Severity::Low, "5.14", "RULE #7", "",
       "use restart: \"on-failure:5\" so a crashing service stops being restarted"},
      {"cap-added", Severity::Medium, "5.3", "RULE #3", "",
       "remove the capability unless the service cannot work without it"},
      {"caps-not-dropped", Severity::Medium, "5.3", "RULE #3", "",
       "add cap_drop: [ALL] and cap_add only what the service needs (berth's standard level does this)"},
      {"shared-volume", Severity::Low, "", "RULE #8", "",
       "give each service its own volume, or mount the shared one read-only where only read"},
      {"root-user", Severity::Medium, "4.1", "RULE #2", "root",
       "set user: (e.g. \"1000:1000\") or build the image with a non-root USER"},
      {"writable-rootfs", Severity::Low, "5.12", "RULE #8", "",
       "set read_only: true with tmpfs for the directories the service writes (berth's strict level does this)"},
      // Dockerfiles of services built by the project.
      {"dockerfile-unpinned-base", Severity::Low, "4.2", "RULE #13", "",
       "pin the base image to a version tag, better to a digest (image@sha256:...)"},
      {"dockerfile-add", Severity::Low, "4.9", "RULE #13", "",
       "use COPY for local files (and curl/wget plus a checksum for downloads)"},
      {"dockerfile-secret", Severity::High, "4.10", "RULE #12", "",
       "pass secrets at build time with RUN --mount=type=secret, at run time with secrets:"},
      {"dockerfile-user", Severity::Medium, "4.1", "RULE #2", "",
       "create an unprivileged user and end the Dockerfile with USER <name>"},
      {"dockerfile-healthcheck", Severity::Low, "4.6", "RULE #7", "", "add a HEALTHCHECK instruction"},
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
  f.owasp = rule.owasp;
  f.message = std::move(message);
  f.fix = rule.fix;
  f.subject = std::move(subject);
  return f;
}

}  // namespace berth::policy
