#pragma once
// `berth version`: berth's version and, when it answers, the engine's.
#include <optional>
#include <string>

namespace berth::service {

struct EngineVersion {
  std::string version;
  std::string api_version;  // the negotiated one berth speaks
  std::string os;
  std::string arch;
};

// With short deadlines: `berth version` is what people run to see whether
// the engine is there at all, so it must answer fast when it is not.
// Throws the reason when the engine does not answer.
EngineVersion engine_version();

}  // namespace berth::service
