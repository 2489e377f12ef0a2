// Placeholder while issue 6 lands: ensure_images leaves missing images to the
// planner's "not found locally" error.
#include "berth/exec/images.h"

namespace berth::exec {

void ensure_images(const model::Project&, const std::vector<std::string>&, const ImageOptions&,
                   const RunContext&) {}

}  // namespace berth::exec
