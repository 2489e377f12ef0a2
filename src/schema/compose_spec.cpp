#include "berth/schema/compose_spec.h"

namespace berth::schema {

const Validator& compose_spec() {
  // A function-local static: compiled once, on first use, thread-safe.
  static const Validator validator =
      Validator::compile_text(compose_spec_json(), "compose-spec.json");
  return validator;
}

}  // namespace berth::schema
