#pragma once
// Image references as the docker CLI reads them: "busybox",
// "busybox:1.36", "registry:5000/team/app:v2", "app@sha256:...".
#include <string>
#include <string_view>

namespace berth {

struct ImageReference {
  std::string name;    // "registry:5000/team/app", as written
  std::string tag;     // "latest" when neither a tag nor a digest is written; "" with a digest
  std::string digest;  // "sha256:..." or ""

  // The name without Docker Hub's "docker.io/library/" or "docker.io/"
  // (the docker CLI's familiar form): "busybox" for "docker.io/library/busybox".
  std::string familiar_name() const;
  // The tag, or the digest when there is one: what the engine's pull takes.
  const std::string& tag_or_digest() const { return digest.empty() ? tag : digest; }
};

ImageReference parse_image_reference(std::string_view reference);

}  // namespace berth
