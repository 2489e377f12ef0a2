#pragma once
// The files `berth init` writes, as text: a multi-stage Dockerfile with a
// fixed-UID non-root user, .dockerignore, compose.yaml with x-berth
// environments, dev.yml (bind-mounted source, the developer's UID/GID, a
// shell sidecar under profile dev), watch.yml (develop.watch rules for
// `berth --env watch watch`) and docker-entrypoint.sh (APP_ENV
// switches development/production).
#include <string>
#include <vector>

#include "berth/init/detect.h"

namespace berth::init {

struct TemplateOptions {
  std::string base_image;  // empty: public_base_image(kind)
  int port = 0;            // 0: default_port(kind)
};

struct ProjectFile {
  std::string path;  // relative to the project directory
  std::string content;
  bool executable = false;
};

// The image the Dockerfile's BASE_IMAGE defaults to where a registry answers.
std::string public_base_image(AppKind kind);
// The base berth's scripts/base_images.sh (or setup.sh) makes locally.
std::string local_base_image(AppKind kind);
// The variable compose.yaml reads the base from, e.g. BERTH_PYTHON_IMAGE.
std::string base_image_variable(AppKind kind);
int default_port(AppKind kind);
// The compose service name: "app" (Python) or "web" (static).
std::string service_name(AppKind kind);
// The UID (and GID) of the user the Dockerfile creates.
constexpr int kAppUid = 10001;

std::vector<ProjectFile> render(const Detection& detection, const TemplateOptions& options);

}  // namespace berth::init
