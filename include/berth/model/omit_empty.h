#pragma once
// docker compose prints its model with Go's `omitempty`: an attribute left at
// its zero value (`hostname: ""`, `tty: false`, `cpus: 0`, `cap_add: []`,
// `healthcheck.disable: false`, a volume's `read_only: false`, ...) is not
// printed. berth's canonical model keeps what the file says (the policy
// tells an explicit choice from an absent one); `berth config` drops those
// values only for printing.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace berth::model {

// Removes, in place, the zero values docker compose leaves out of a
// canonical project document. Kept on purpose, because berth gives their
// presence a meaning or docker compose prints them too: `command`/`entrypoint`
// (`[]` clears the image's), `init`, `attach`, `enable_ipv6` (pointers in
// compose), a service's `read_only: false` and a port's `host_ip: ""` (the
// policy leaves an explicit choice alone), `mem_swappiness: 0` (not the same
// as unset), `depends_on.*.required` and extension (`x-*`) values.
void omit_zero_values(nlohmann::json& project);

// Go's YAML and JSON encoders print a whole float without a fraction
// (`cpus: 1`, not `1.0`): the model's floats (`cpus`, `cpu_percent`,
// deploy's `cpus` and `max_failure_ratio`, values under `x-*` keys) with an
// integral value become that integer, in place. Numbers compare equal
// either way, so the printed model reads back to the same one.
void whole_floats_as_integers(nlohmann::json& doc);

// docker compose's JSON (not its YAML) prints an unset `command` and
// `entrypoint` of every service as null, set to `[]` they stay `[]`: adds
// those nulls, in place.
void unset_commands_as_null(nlohmann::json& project);

// Go's JSON encoder escapes `<`, `>` and `&` (as \u003c, \u003e, \u0026)
// and U+2028/U+2029: docker compose's JSON shows `\u0026\u0026` for a
// healthcheck's `&&`. Rewrites JSON text in place (those characters only
// occur inside its strings).
void go_json_escapes(std::string& json_text);

}  // namespace berth::model
