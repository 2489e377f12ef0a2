// Placeholder while issue 6 lands: ensure_images leaves missing images to the
// planner's "not found locally" error; build/pull/push say they are missing.
#include "berth/exec/images.h"

#include "berth/util/error.h"

namespace berth::exec {

void ensure_images(const model::Project&, const std::vector<std::string>&, const ImageOptions&,
                   const RunContext&) {}

void build(const model::Project&, const BuildOptions&, const RunContext&) {
  throw Error(ErrorKind::Usage, "build is not implemented yet");
}

void pull(const model::Project&, const PullOptions&, const RunContext&) {
  throw Error(ErrorKind::Usage, "pull is not implemented yet");
}

void push(const model::Project&, const PushOptions&, const RunContext&) {
  throw Error(ErrorKind::Usage, "push is not implemented yet");
}

}  // namespace berth::exec
