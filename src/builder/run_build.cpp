#include "berth/builder/run_build.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "berth/engine/engine.h"
#include "berth/model/project.h"
#include "berth/util/error.h"
#include "build_session.h"
#include "buildkit_progress.h"

namespace berth::builder {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  return std::move(text).str();
}

std::string dockerfile_text(const ContextSource& source) {
  if (source.dockerfile_inline) return *source.dockerfile_inline;
  const std::string name = source.dockerfile.empty() ? "Dockerfile" : source.dockerfile;
  return read_text(name.front() == '/' ? name : source.directory + "/" + name);
}

std::string run_buildkit(engine::Engine& engine, BuildJob& job, const std::function<void(const std::string&)>& on_line,
                         const std::function<void(const BuildStep&)>& on_step, engine::CancelToken* cancel,
                         std::string* failure_tail) {
  BuildKitProgress progress(on_step ? nullptr : on_line, dockerfile_text(job.source));
  if (on_step) progress.on_step(on_step);
  try {
    auto context = BuildContext::prepare(job.source);
    job.request.dockerfile = context.dockerfile_name();
    SessionContent content;
    content.name = job.service ? job.service->name : job.image;
    for (const auto& secret : job.secrets) content.secrets[secret.id] = SessionSecret{secret.file, secret.value};
    for (const auto& ssh : job.ssh) {
      SessionSsh out;
      for (const auto& path : ssh.paths) {
        std::error_code ec;
        if (std::filesystem::is_socket(path, ec)) out.agent_socket = path;
        else out.key_files.push_back(path);
      }
      if (!out.agent_socket.empty() && !out.key_files.empty())
        throw Error(ErrorKind::Config, "build.ssh \"" + ssh.id + "\" mixes an agent socket and key files");
      content.ssh[ssh.id] = std::move(out);
    }
    BuildSession session(engine, std::move(content), cancel);
    job.request.session_id = session.id();
    auto id = engine.build_image(
        job.request, context.archive(),
        [&](const engine::ProgressMessage& m) {
          if (!m.trace.empty()) progress.feed_trace(m.trace);
        },
        cancel);
    progress.flush();
    return id;
  } catch (...) {
    progress.flush();
    if (failure_tail) *failure_tail = progress.failure_tail();
    throw;
  }
}

}  // namespace

std::string run_build(engine::Engine& engine, BuildJob& job, const std::function<void(const std::string&)>& on_line,
                      const std::function<void(const BuildStep&)>& on_step, engine::CancelToken* cancel,
                      std::string* failure_tail) {
  if (job.builder == Builder::BuildKit) return run_buildkit(engine, job, on_line, on_step, cancel, failure_tail);
  BuilderOutput output(on_line);
  try {
    return run_classic_build(engine, job, output, cancel);
  } catch (...) {
    if (failure_tail) *failure_tail = output.step_tail();
    throw;
  }
}

}  // namespace berth::builder
