#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "loader/canonical.h"

using berth::loader::CanonicalContext;
using nlohmann::json;

namespace {

CanonicalContext test_context() {
  CanonicalContext ctx;
  ctx.project_dir = "/proj";
  ctx.home_dir = "/home/u";
  ctx.environment = {{"FROM_ENV", "env-value"}, {"EMPTY", ""}};
  ctx.mark = [](const std::string&) { return berth::SourceMark{"compose.yaml", 3, 5}; };
  return ctx;
}

json canonical_service(const json& service, const CanonicalContext& ctx = test_context()) {
  json doc = {{"services", {{"s", service}}}};
  berth::loader::canonicalize(doc, ctx);
  return doc["services"]["s"];
}

struct Case {
  const char* name;
  const char* input;     // the service, JSON
  const char* expected;  // keys of the canonical service to compare, JSON
};

// One row per short syntax compose accepts; expected values are what
// `docker compose config` prints for them.
const Case kCases[] = {
    // ports
    {"port target only", R"({"ports":["80"]})", R"({"ports":[{"mode":"ingress","target":80,"protocol":"tcp"}]})"},
    {"port as number", R"({"ports":[80]})", R"({"ports":[{"mode":"ingress","target":80,"protocol":"tcp"}]})"},
    {"port published", R"({"ports":["8080:80"]})",
     R"({"ports":[{"mode":"ingress","target":80,"published":"8080","protocol":"tcp"}]})"},
    {"port host ip", R"({"ports":["127.0.0.1:8080:80"]})",
     R"({"ports":[{"mode":"ingress","host_ip":"127.0.0.1","target":80,"published":"8080","protocol":"tcp"}]})"},
    {"port host ip without published", R"({"ports":["127.0.0.1::80"]})",
     R"({"ports":[{"mode":"ingress","host_ip":"127.0.0.1","target":80,"protocol":"tcp"}]})"},
    {"port udp", R"({"ports":["53:53/udp"]})",
     R"({"ports":[{"mode":"ingress","target":53,"published":"53","protocol":"udp"}]})"},
    {"port sctp", R"({"ports":["99/sctp"]})", R"({"ports":[{"mode":"ingress","target":99,"protocol":"sctp"}]})"},
    {"port ranges", R"({"ports":["127.0.0.1:8080-8081:80-81/udp"]})",
     R"({"ports":[{"mode":"ingress","host_ip":"127.0.0.1","target":80,"published":"8080","protocol":"udp"},
                  {"mode":"ingress","host_ip":"127.0.0.1","target":81,"published":"8081","protocol":"udp"}]})"},
    {"port container range", R"({"ports":["3000-3001"]})",
     R"({"ports":[{"mode":"ingress","target":3000,"protocol":"tcp"},{"mode":"ingress","target":3001,"protocol":"tcp"}]})"},
    {"port host range for one container port", R"({"ports":["9000-9010:80"]})",
     R"({"ports":[{"mode":"ingress","target":80,"published":"9000-9010","protocol":"tcp"}]})"},
    {"port ipv6 host", R"({"ports":["[::1]:80:80"]})",
     R"({"ports":[{"mode":"ingress","host_ip":"::1","target":80,"published":"80","protocol":"tcp"}]})"},
    {"port ipv6 host without published", R"({"ports":["[fe80::1]::80"]})",
     R"({"ports":[{"mode":"ingress","host_ip":"fe80::1","target":80,"protocol":"tcp"}]})"},
    {"port long syntax gets defaults", R"({"ports":[{"target":80,"published":8080}]})",
     R"({"ports":[{"mode":"ingress","target":80,"published":"8080","protocol":"tcp"}]})"},
    {"port long syntax keeps mode", R"({"ports":[{"target":"80","mode":"host","protocol":"udp","name":"web"}]})",
     R"({"ports":[{"mode":"host","target":80,"protocol":"udp","name":"web"}]})"},
    // expose
    {"expose numbers become strings", R"({"expose":[3000,"8000"]})", R"({"expose":["3000","8000"]})"},
    {"expose range", R"({"expose":["3000-3005"]})", R"({"expose":["3000-3005"]})"},
    // volumes
    {"bind relative ro selinux", R"({"volumes":["./data:/data:ro,z"]})",
     R"({"volumes":[{"type":"bind","source":"/proj/data","target":"/data","read_only":true,"bind":{"create_host_path":true,"selinux":"z"}}]})"},
    {"bind absolute", R"({"volumes":["/opt/data:/var/lib/data"]})",
     R"({"volumes":[{"type":"bind","source":"/opt/data","target":"/var/lib/data","bind":{"create_host_path":true}}]})"},
    // pi-hole's compose file: compose-go keeps an absolute path as written.
    {"bind absolute keeps its trailing slash", R"({"volumes":["/etc/pihole/:/etc/pihole/"]})",
     R"({"volumes":[{"type":"bind","source":"/etc/pihole/","target":"/etc/pihole/","bind":{"create_host_path":true}}]})"},
    {"long bind absolute source as written", R"({"volumes":[{"type":"bind","source":"/srv//logs/","target":"/logs"}]})",
     R"({"volumes":[{"type":"bind","source":"/srv//logs/","target":"/logs"}]})"},
    {"bind home is joined and cleaned", R"({"volumes":["~/configs/:/etc/configs"]})",
     R"({"volumes":[{"type":"bind","source":"/home/u/configs","target":"/etc/configs","bind":{"create_host_path":true}}]})"},
    {"bind home", R"({"volumes":["~/configs:/etc/configs:ro"]})",
     R"({"volumes":[{"type":"bind","source":"/home/u/configs","target":"/etc/configs","read_only":true,"bind":{"create_host_path":true}}]})"},
    {"bind parent dir", R"({"volumes":["../shared/./x/:/x"]})",
     R"({"volumes":[{"type":"bind","source":"/shared/x","target":"/x","bind":{"create_host_path":true}}]})"},
    {"bind project dir", R"({"volumes":[".:/code"]})",
     R"({"volumes":[{"type":"bind","source":"/proj","target":"/code","bind":{"create_host_path":true}}]})"},
    {"bind propagation", R"({"volumes":["/a:/b:rshared"]})",
     R"({"volumes":[{"type":"bind","source":"/a","target":"/b","bind":{"create_host_path":true,"propagation":"rshared"}}]})"},
    {"bind consistency", R"({"volumes":["./opt:/opt/cached:cached"]})",
     R"({"volumes":[{"type":"bind","source":"/proj/opt","target":"/opt/cached","consistency":"cached","bind":{"create_host_path":true}}]})"},
    {"named volume", R"({"volumes":["datavolume:/var/lib/volume"]})",
     R"({"volumes":[{"type":"volume","source":"datavolume","target":"/var/lib/volume","volume":{}}]})"},
    {"named volume nocopy rw", R"({"volumes":["data:/d:rw,nocopy"]})",
     R"({"volumes":[{"type":"volume","source":"data","target":"/d","volume":{"nocopy":true}}]})"},
    {"anonymous volume", R"({"volumes":["/var/lib/anonymous"]})",
     R"({"volumes":[{"type":"volume","target":"/var/lib/anonymous","volume":{}}]})"},
    {"long bind relative source", R"({"volumes":[{"type":"bind","source":"./static","target":"/www"}]})",
     R"({"volumes":[{"type":"bind","source":"/proj/static","target":"/www"}]})"},
    {"long tmpfs size", R"({"volumes":[{"type":"tmpfs","target":"/t","tmpfs":{"size":"10k"}}]})",
     R"({"volumes":[{"type":"tmpfs","target":"/t","tmpfs":{"size":10240}}]})"},
    // depends_on
    {"depends_on list", R"({"depends_on":["db","redis"]})",
     R"({"depends_on":{"db":{"condition":"service_started","required":true},"redis":{"condition":"service_started","required":true}}})"},
    {"depends_on map defaults", R"({"depends_on":{"db":{"condition":"service_healthy"}}})",
     R"({"depends_on":{"db":{"condition":"service_healthy","required":true}}})"},
    {"depends_on keeps restart and required", R"({"depends_on":{"db":{"restart":true,"required":false}}})",
     R"({"depends_on":{"db":{"condition":"service_started","required":false,"restart":true}}})"},
    // environment
    {"environment list", R"({"environment":["A=1","B=x=y","C="]})", R"({"environment":{"A":"1","B":"x=y","C":""}})"},
    {"environment name only from env", R"({"environment":["FROM_ENV"]})", R"({"environment":{"FROM_ENV":"env-value"}})"},
    {"environment name only unset", R"({"environment":["UNSET_VAR"]})", R"({"environment":{"UNSET_VAR":null}})"},
    {"environment map numbers and bools", R"({"environment":{"N":1,"F":1.5,"B":true,"S":"s"}})",
     R"({"environment":{"N":"1","F":"1.5","B":"true","S":"s"}})"},
    {"environment map null from env", R"({"environment":{"FROM_ENV":null,"EMPTY":null}})",
     R"({"environment":{"FROM_ENV":"env-value","EMPTY":""}})"},
    // command / entrypoint
    {"command string", R"({"command":"bundle exec thin -p 3000"})", R"({"command":["bundle","exec","thin","-p","3000"]})"},
    {"command quotes", R"({"command":"sh -c 'echo \"hello world\"'"})", R"({"command":["sh","-c","echo \"hello world\""]})"},
    {"command double quotes and escapes", R"({"command":"echo \"a b\" c\\ d"})", R"({"command":["echo","a b","c d"]})"},
    {"command list numbers", R"({"command":["sleep",10]})", R"({"command":["sleep","10"]})"},
    {"entrypoint string", R"({"entrypoint":"/code/entrypoint.sh -p 3000"})", R"({"entrypoint":["/code/entrypoint.sh","-p","3000"]})"},
    {"empty command", R"({"command":""})", R"({"command":[]})"},
    // build
    {"build string", R"({"build":"./dir"})", R"({"build":{"context":"/proj/dir","dockerfile":"Dockerfile"}})"},
    {"build map without context", R"({"build":{"target":"dev"}})", R"({"build":{"context":"/proj","dockerfile":"Dockerfile","target":"dev"}})"},
    {"build inline dockerfile", R"({"build":{"dockerfile_inline":"FROM alpine"}})", R"({"build":{"context":"/proj","dockerfile_inline":"FROM alpine"}})"},
    {"build git context", R"({"build":{"context":"https://github.com/a/b.git#main"}})",
     R"({"build":{"context":"https://github.com/a/b.git#main","dockerfile":"Dockerfile"}})"},
    {"build args list", R"({"build":{"context":".","args":["A=1","FROM_ENV","NOPE"]}})",
     R"({"build":{"context":"/proj","dockerfile":"Dockerfile","args":{"A":"1","FROM_ENV":"env-value","NOPE":null}}})"},
    {"build labels and additional contexts", R"({"build":{"labels":["a=b"],"additional_contexts":{"x":"../x","img":"docker-image://alpine"}}})",
     R"({"build":{"context":"/proj","dockerfile":"Dockerfile","labels":{"a":"b"},"additional_contexts":{"x":"/x","img":"docker-image://alpine"}}})"},
    {"build secrets and shm_size", R"({"build":{"secrets":["s1"],"shm_size":"2g"}})",
     R"({"build":{"context":"/proj","dockerfile":"Dockerfile","secrets":[{"source":"s1"}],"shm_size":2147483648}})"},
    // secrets / configs
    {"secrets short", R"({"secrets":["s1",{"source":"s2","target":"t"}]})", R"({"secrets":[{"source":"s1","target":"/run/secrets/s1"},{"source":"s2","target":"t"}]})"},
    {"configs short", R"({"configs":["c1"]})", R"({"configs":[{"source":"c1"}]})"},
    // ulimits
    {"ulimits single stays single", R"({"ulimits":{"nproc":65535}})", R"({"ulimits":{"nproc":65535}})"},
    {"ulimits single from a string", R"({"ulimits":{"nproc":"65535"}})", R"({"ulimits":{"nproc":65535}})"},
    {"ulimits soft hard", R"({"ulimits":{"nofile":{"soft":20000,"hard":40000}}})", R"({"ulimits":{"nofile":{"soft":20000,"hard":40000}}})"},
    // healthcheck
    {"healthcheck string test", R"({"healthcheck":{"test":"curl -f http://localhost"}})",
     R"({"healthcheck":{"test":["CMD-SHELL","curl -f http://localhost"]}})"},
    {"healthcheck durations", R"({"healthcheck":{"interval":"90s","timeout":"1s","start_period":"1m30s","start_interval":"500ms"}})",
     R"({"healthcheck":{"interval":"1m30s","timeout":"1s","start_period":"1m30s","start_interval":"500ms"}})"},
    {"healthcheck hours", R"({"healthcheck":{"interval":"1h"}})", R"({"healthcheck":{"interval":"1h0m0s"}})"},
    {"stop_grace_period", R"({"stop_grace_period":"20s"})", R"({"stop_grace_period":"20s"})"},
    {"stop_grace_period fraction", R"({"stop_grace_period":"1.5m"})", R"({"stop_grace_period":"1m30s"})"},
    // extra_hosts
    {"extra_hosts colon list", R"({"extra_hosts":["somehost:162.242.195.82","otherhost:50.31.209.229"]})",
     R"({"extra_hosts":["otherhost=50.31.209.229","somehost=162.242.195.82"]})"},
    {"extra_hosts equals ipv6", R"({"extra_hosts":["v6=::1","br=[::2]"]})", R"({"extra_hosts":["br=::2","v6=::1"]})"},
    {"extra_hosts map", R"({"extra_hosts":{"a":"1.1.1.1","b":["2.2.2.2","3.3.3.3"]}})",
     R"({"extra_hosts":["a=1.1.1.1","b=2.2.2.2","b=3.3.3.3"]})"},
    // labels, sysctls, annotations
    {"labels list", R"({"labels":["com.example.description=Accounting webapp","com.example.empty-label"]})",
     R"({"labels":{"com.example.description":"Accounting webapp","com.example.empty-label":""}})"},
    {"labels map number", R"({"labels":{"com.example.number":42}})", R"({"labels":{"com.example.number":"42"}})"},
    {"sysctls list", R"({"sysctls":["net.core.somaxconn=1024"]})", R"({"sysctls":{"net.core.somaxconn":"1024"}})"},
    {"sysctls map number", R"({"sysctls":{"net.ipv4.tcp_syncookies":0}})", R"({"sysctls":{"net.ipv4.tcp_syncookies":"0"}})"},
    {"annotations list", R"({"annotations":["com.example.foo=bar"]})", R"({"annotations":{"com.example.foo":"bar"}})"},
    // networks
    {"networks list", R"({"networks":["front","back"]})", R"({"networks":{"front":null,"back":null}})"},
    {"networks map kept", R"({"networks":{"front":{"aliases":["a"]},"back":null}})", R"({"networks":{"front":{"aliases":["a"]},"back":null}})"},
    // byte units
    {"mem_limit g", R"({"mem_limit":"1g"})", R"({"mem_limit":1073741824})"},
    {"mem_limit m", R"({"mem_limit":"512m"})", R"({"mem_limit":536870912})"},
    {"mem_limit bytes suffix", R"({"mem_limit":"1.5GB"})", R"({"mem_limit":1610612736})"},
    {"mem_limit integer kept", R"({"mem_limit":1024})", R"({"mem_limit":1024})"},
    {"shm_size k", R"({"shm_size":"64k"})", R"({"shm_size":65536})"},
    {"memswap_limit unlimited", R"({"memswap_limit":"-1"})", R"({"memswap_limit":-1})"},
    {"mem_reservation kb", R"({"mem_reservation":"100kb"})", R"({"mem_reservation":102400})"},
    {"deploy resources", R"({"deploy":{"resources":{"limits":{"cpus":"0.5","memory":"50M"},"reservations":{"memory":"20m"}}}})",
     R"({"deploy":{"resources":{"limits":{"cpus":0.5,"memory":"52428800"},"reservations":{"memory":"20971520"}}}})"},
    {"deploy durations", R"({"deploy":{"restart_policy":{"delay":"5s","window":"120s"},"update_config":{"delay":"10s","monitor":"60s"}}})",
     R"({"deploy":{"restart_policy":{"delay":"5s","window":"2m0s"},"update_config":{"delay":"10s","monitor":"1m0s"}}})"},
    {"deploy labels list", R"({"deploy":{"labels":["FOO=BAR"]}})", R"({"deploy":{"labels":{"FOO":"BAR"}}})"},
    {"cpus string", R"({"cpus":"1.5"})", R"({"cpus":1.5})"},
    // logging, devices, blkio, gpus, tmpfs, dns
    {"logging options numbers", R"({"logging":{"driver":"json-file","options":{"max-size":"10m","max-file":3}}})",
     R"({"logging":{"driver":"json-file","options":{"max-size":"10m","max-file":"3"}}})"},
    {"devices short", R"({"devices":["/dev/ttyUSB0:/dev/ttyUSB1:rw","/dev/sda"]})",
     R"({"devices":[{"source":"/dev/ttyUSB0","target":"/dev/ttyUSB1","permissions":"rw"},{"source":"/dev/sda","target":"/dev/sda","permissions":"rwm"}]})"},
    {"devices two parts", R"({"devices":["/dev/a:/dev/b"]})", R"({"devices":[{"source":"/dev/a","target":"/dev/b","permissions":"rwm"}]})"},
    {"blkio rates", R"({"blkio_config":{"weight":300,"device_read_bps":[{"path":"/dev/sda","rate":"12mb"}],"device_read_iops":[{"path":"/dev/sda","rate":120}]}})",
     R"({"blkio_config":{"weight":300,"device_read_bps":[{"path":"/dev/sda","rate":12582912}],"device_read_iops":[{"path":"/dev/sda","rate":120}]}})"},
    {"gpus all", R"({"gpus":"all"})", R"({"gpus":[{"count":-1}]})"},
    {"gpus count all", R"({"gpus":[{"driver":"nvidia","count":"all"}]})", R"({"gpus":[{"driver":"nvidia","count":-1}]})"},
    {"tmpfs string", R"({"tmpfs":"/run"})", R"({"tmpfs":["/run"]})"},
    {"dns string", R"({"dns":"8.8.8.8"})", R"({"dns":["8.8.8.8"]})"},
    {"booleans from strings", R"({"privileged":"true","read_only":"0","tty":"T","init":false})",
     R"({"privileged":true,"read_only":false,"tty":true,"init":false})"},
    {"integers from strings", R"({"pids_limit":"100","scale":"2","cpu_shares":"512","deploy":{"replicas":"3"}})",
     R"({"pids_limit":100,"scale":2,"cpu_shares":512,"deploy":{"replicas":3}})"},
    {"healthcheck retries and disable", R"({"healthcheck":{"retries":"3","disable":"false"}})",
     R"({"healthcheck":{"retries":3,"disable":false}})"},
    {"untouched attributes", R"({"image":"redis","privileged":true,"x-foo":"bar"})", R"({"image":"redis","privileged":true,"x-foo":"bar"})"},
};

}  // namespace

TEST_CASE("canonical form of each short syntax", "[canonical]") {
  for (const auto& c : kCases) {
    INFO(c.name);
    json got = canonical_service(json::parse(c.input));
    json expected = json::parse(c.expected);
    for (const auto& [key, value] : expected.items()) {
      INFO(key << ": " << got[key].dump());
      CHECK(got[key] == value);
    }
  }
  CHECK(std::size(kCases) >= 60);
}

TEST_CASE("canonical form is idempotent", "[canonical]") {
  for (const auto& c : kCases) {
    INFO(c.name);
    json once = canonical_service(json::parse(c.input));
    CHECK(canonical_service(once) == once);
  }
}

// docker compose's JSON output prints an unset command and entrypoint as
// null: read back, they are unset again.
TEST_CASE("null command and entrypoint are unset", "[canonical]") {
  json got = canonical_service(json::parse(R"({"image":"a","command":null,"entrypoint":null})"));
  CHECK_FALSE(got.contains("command"));
  CHECK_FALSE(got.contains("entrypoint"));
  json cleared = canonical_service(json::parse(R"({"image":"a","command":[],"entrypoint":""})"));
  CHECK(cleared["command"] == json::array());
  CHECK(cleared["entrypoint"] == json::array());
}

TEST_CASE("invalid short syntax names position and path", "[canonical]") {
  struct ErrorCase {
    const char* input;
    const char* message;
  };
  const ErrorCase cases[] = {
      {R"({"ports":["80:abc"]})", "compose.yaml:3:5: services.s.ports.0: invalid container port \"abc\""},
      {R"({"ports":["99999"]})", "services.s.ports.0: invalid container port \"99999\""},
      {R"({"ports":["8080-8082:80-81"]})", "services.s.ports.0: invalid port \"8080-8082:80-81\": host and container port ranges differ in size"},
      {R"({"ports":["80/xyz"]})", "services.s.ports.0: invalid protocol \"xyz\""},
      {R"({"ports":["x:80"]})", "invalid host port \"x\""},
      {R"({"ports":["[::1:80:80"]})", "malformed IPv6 address"},
      {R"({"volumes":["a:b:c:d"]})", "services.s.volumes.0: invalid volume \"a:b:c:d\": too many colons"},
      {R"({"volumes":["./a::/b"]})", "empty section between colons"},
      {R"({"volumes":["./a:/b:bogus"]})", "unknown mode \"bogus\""},
      {R"({"healthcheck":{"interval":"10 parsecs"}})", "compose.yaml:3:5: services.s.healthcheck.interval: invalid duration \"10 parsecs\""},
      {R"({"stop_grace_period":"1x"})", "services.s.stop_grace_period: invalid duration"},
      {R"({"mem_limit":"1q"})", "compose.yaml:3:5: services.s.mem_limit: invalid byte size \"1q\""},
      {R"({"deploy":{"resources":{"limits":{"memory":"lots"}}}})", "services.s.deploy.resources.limits.memory: invalid byte size"},
      {R"({"command":"echo 'unterminated"})", "services.s.command: unterminated quote"},
      {R"({"extra_hosts":["nohost"]})", "services.s.extra_hosts.0: invalid additional host, missing IP: nohost"},
      {R"({"ulimits":{"nofile":"many"}})", "services.s.ulimits.nofile: invalid ulimit"},
      {R"({"cpus":"one"})", "services.s.cpus: invalid number"},
      {R"({"cpus":"inf"})", "services.s.cpus: invalid number \"inf\""},
      {R"({"cpus":1e300})", "services.s.cpus: cpus 1e+300 is out of range"},
      {R"({"deploy":{"resources":{"limits":{"cpus":"1e10"}}}})", "services.s.deploy.resources.limits.cpus: cpus 10000000000.0 is out of range"},
      {R"({"mem_limit":1e300})", "services.s.mem_limit: invalid byte size \"1e+300\""},
      {R"({"shm_size":"9000000000g"})", "services.s.shm_size: invalid byte size \"9000000000g\""},
      {R"({"privileged":"maybe"})", "compose.yaml:3:5: services.s.privileged: invalid boolean \"maybe\""},
      {R"({"pids_limit":"lots"})", "services.s.pids_limit: invalid integer \"lots\""},
      {R"({"deploy":{"replicas":"2x"}})", "services.s.deploy.replicas: invalid integer"},
      {R"({"env_file":["missing.env"]})", "services.s.env_file.0: env file /proj/missing.env not found"},
  };
  for (const auto& c : cases) {
    INFO(c.input);
    try {
      canonical_service(json::parse(c.input));
      FAIL("no error");
    } catch (const berth::Error& e) {
      CHECK(e.kind() == berth::ErrorKind::Config);
      CHECK_THAT(e.message(), Catch::Contains(c.message));
    }
  }
}

TEST_CASE("no path resolution leaves relative paths", "[canonical]") {
  auto ctx = test_context();
  ctx.resolve_paths = false;
  json got = canonical_service(json::parse(R"({"build":"./dir","volumes":["./data:/data"]})"), ctx);
  CHECK(got["build"]["context"] == "./dir");
  CHECK(got["volumes"][0]["source"] == "./data");
}

TEST_CASE("top-level resources: files absolute, labels as maps", "[canonical]") {
  json doc = json::parse(R"({"secrets":{"s":{"file":"./secret.txt"}},"configs":{"c":{"file":"/abs/c"}},
                             "networks":{"n":{"labels":["a=b"],"driver_opts":{"mtu":1500}}},"volumes":{"v":null}})");
  berth::loader::canonicalize(doc, test_context());
  CHECK(doc["secrets"]["s"]["file"] == "/proj/secret.txt");
  CHECK(doc["configs"]["c"]["file"] == "/abs/c");
  CHECK(doc["networks"]["n"]["labels"] == json{{"a", "b"}});
  CHECK(doc["networks"]["n"]["driver_opts"] == json{{"mtu", "1500"}});
  CHECK(doc["volumes"]["v"].is_null());
}

TEST_CASE("moved values keep the position they were written at", "[canonical]") {
  json doc = {{"services",
               {{"s", json::parse(R"({"ports":["8080-8081:80-81","90"],"depends_on":["db"],"networks":["front"],
                                      "environment":["A=1"]})")}}}};
  auto aliases = std::make_shared<berth::loader::PointerAliases>();
  berth::loader::canonicalize(doc, test_context(), aliases.get());
  struct Case {
    const char* now;
    const char* written;
  };
  const Case cases[] = {
      {"/services/s/ports/1", "/services/s/ports/0"},
      {"/services/s/ports/2", "/services/s/ports/1"},
      {"/services/s/depends_on/db", "/services/s/depends_on/0"},
      {"/services/s/depends_on/db/condition", "/services/s/depends_on/0/condition"},
      {"/services/s/networks/front", "/services/s/networks/0"},
      {"/services/s/environment/A", "/services/s/environment/0"},
      {"/services/s/image", "/services/s/image"},
      {"", ""},
  };
  std::string asked;
  auto lookup = berth::loader::with_aliases(
      [&asked](const std::string& p) {
        asked = p;
        return berth::SourceMark{};
      },
      aliases);
  for (const auto& c : cases) {
    INFO(c.now);
    lookup(c.now);
    CHECK(asked == c.written);
  }
}
