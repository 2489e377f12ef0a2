#include "berth/schema/compose_spec.h"

namespace berth::schema {

const Validator& compose_spec() {
  // A function-local static: compiled once, on first use, thread-safe. Its
  // few std::regex patterns (pull_policy's, ...) wait until a file uses them;
  // a unit test compiles them all.
  static const Validator validator =
      Validator::compile_text(compose_spec_json(), "compose-spec.json", Validator::Regexes::OnFirstUse);
  return validator;
}

}  // namespace berth::schema
