#pragma once
// Engine answers and connection failures as berth::Error: 404 → NotFound,
// 409 → Conflict, other statuses → Engine, each carrying the engine's own
// message; unreachable engines → EngineUnavailable with what to do.
#include <string>
#include <string_view>

#include "berth/util/error.h"

namespace berth::engine {

struct EngineAddress;

// `body` is the engine's answer, normally {"message": "..."}.
Error error_from_response(int status, std::string_view body);

// `reason` is the system's words, e.g. "no such file", "permission denied".
Error engine_unavailable_error(const EngineAddress& address, std::string_view reason);

}  // namespace berth::engine
