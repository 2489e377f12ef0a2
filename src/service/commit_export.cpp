// `berth commit` and `berth export`: a service container's changes as a new
// image, its filesystem as a tar archive (docker compose's commands of the
// same names, on the replica --index names).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "berth/engine/engine.h"
#include "berth/service/containers.h"
#include "berth/service/global_options.h"
#include "berth/util/error.h"
#include "berth/util/image_reference.h"
#include "project_loading.h"
#include "session.h"
#include "replicas.h"

namespace berth::service {

void commit(const GlobalOptions& global, const CommitOptions& o) {
  engine::CommitOptions request;
  if (!o.reference.empty()) {
    auto ref = parse_image_reference(o.reference);
    if (!ref.digest.empty())
      throw Error(ErrorKind::Usage, "invalid reference \"" + o.reference + "\": a commit is tagged, not addressed by digest");
    request.repository = ref.name;
    request.tag = ref.tag;
  }
  request.author = o.author;
  request.comment = o.message;
  request.changes = o.changes;
  request.pause = o.pause;
  auto project = load_project(global, {o.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_replica(*engine, project.name, o.service, o.index, /*running=*/false);
  std::cout << engine->commit_container(target.id, request) << "\n";
}

void export_filesystem(const GlobalOptions& global, const ExportOptions& o) {
  if (o.output.empty() && ::isatty(STDOUT_FILENO))
    throw Error(ErrorKind::Usage, "refusing to write a tar archive to a terminal: use -o FILE or redirect the output");
  auto project = load_project(global, {o.service}, ProjectFiles::Optional);
  auto engine = connect_engine();
  auto target = find_replica(*engine, project.name, o.service, o.index, /*running=*/false);
  if (o.output.empty()) {
    engine->export_container(target.id, [](std::string_view piece) {
      if (std::fwrite(piece.data(), 1, piece.size(), stdout) != piece.size())
        throw Error(ErrorKind::Io, "cannot write the archive to standard output");
    });
    std::fflush(stdout);
    return;
  }
  // Written beside the target and renamed over it once complete: an
  // interrupted export leaves no half archive under the name asked for.
  const std::string partial = o.output + ".partial";
  {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) throw Error(ErrorKind::Io, "cannot write " + o.output);
    try {
      engine->export_container(target.id, [&](std::string_view piece) {
        if (!file.write(piece.data(), static_cast<std::streamsize>(piece.size())))
          throw Error(ErrorKind::Io, "cannot write " + o.output);
      });
    } catch (...) {
      file.close();
      std::remove(partial.c_str());
      throw;
    }
  }
  if (std::rename(partial.c_str(), o.output.c_str()) != 0) {
    std::remove(partial.c_str());
    throw Error(ErrorKind::Io, "cannot write " + o.output);
  }
}

}  // namespace berth::service
