// BuildKit's progress: the protobuf StatusResponse in a moby.buildkit.trace
// message's aux, decoded by berth's own reader.
#include "builder/buildkit_trace.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(buildkit_trace) {
  berth::fuzz::fuzz_guard([&] { berth::builder::trace::decode_status(input); });
}
