// Placeholder while issue 6 lands.
#include "berth/exec/images.h"
#include "berth/util/error.h"

namespace berth::exec {

void pull(const model::Project&, const PullOptions&, const RunContext&) {
  throw Error(ErrorKind::Usage, "pull is not implemented yet");
}

void push(const model::Project&, const PushOptions&, const RunContext&) {
  throw Error(ErrorKind::Usage, "push is not implemented yet");
}

}  // namespace berth::exec
