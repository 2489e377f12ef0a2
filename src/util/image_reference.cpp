#include "berth/util/image_reference.h"

namespace berth {

ImageReference parse_image_reference(std::string_view reference) {
  ImageReference out;
  if (auto at = reference.find('@'); at != std::string_view::npos) {
    out.name = std::string(reference.substr(0, at));
    out.digest = std::string(reference.substr(at + 1));
    return out;
  }
  // A colon after the last slash starts the tag; one before it is a registry's port.
  const auto slash = reference.rfind('/');
  const auto colon = reference.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    out.name = std::string(reference.substr(0, colon));
    out.tag = std::string(reference.substr(colon + 1));
  } else {
    out.name = std::string(reference);
    out.tag = "latest";
  }
  return out;
}

std::string ImageReference::familiar_name() const {
  for (std::string_view prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"})
    if (name.starts_with(prefix)) return name.substr(prefix.size());
  return name;
}

}  // namespace berth
