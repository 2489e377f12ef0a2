// Placeholder while issue 6 lands.
#include "berth/exec/images.h"
#include "berth/util/error.h"

namespace berth::exec {

void build(const model::Project&, const BuildOptions&, const RunContext&) {
  throw Error(ErrorKind::Usage, "build is not implemented yet");
}

}  // namespace berth::exec
