#pragma once
// Engine answers and connection failures as berth::Error, typed once here:
// 404 → NotFound; a name or endpoint that exists already (409, "already
// exists") → Conflict; a network or image still in use → InUse; a name that
// matches several networks → Ambiguous; anything else → Engine. Each carries
// the engine's own message. Unreachable engines → EngineUnavailable with
// what to do.
#include <string>
#include <string_view>

#include "berth/util/error.h"

namespace berth::engine {

struct EngineAddress;

// The kind of an answer with this status and message (the engine's words).
ErrorKind error_kind(int status, const std::string& message);

// `body` is the engine's answer, normally {"message": "..."}.
Error error_from_response(int status, std::string_view body);

// `reason` is the system's words, e.g. "no such file", "permission denied".
Error engine_unavailable_error(const EngineAddress& address, std::string_view reason);

}  // namespace berth::engine
