#pragma once
// The compose specification schema, embedded in the binary at build time
// from schemas/compose-spec.json, so an installed berth needs no source tree.
#include <string_view>

#include "berth/schema/validator.h"

namespace berth::schema {

// The schema text of schemas/compose-spec.json without its annotations
// ("description", "title", "$comment") and line breaks: the build leaves out
// what the validator ignores, so that compiling it at each run costs less.
std::string_view compose_spec_json();

// The compiled compose schema; compiled on first use (thread-safe), then shared.
const Validator& compose_spec();

}  // namespace berth::schema
