#include "berth/service/init.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "berth/init/detect.h"
#include "berth/init/templates.h"
#include "berth/util/error.h"

namespace berth::service {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const init::ProjectFile& file) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << file.content;
  out.close();
  if (!out) throw Error(ErrorKind::Io, "cannot write " + path.string());
  if (file.executable) {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::add, ec);
    if (ec) throw Error(ErrorKind::Io, "cannot make " + path.string() + " executable: " + ec.message());
  }
}

}  // namespace

void init(const InitOptions& o) {
  const bool dry_run = o.dry_run;
  fs::path dir = o.directory;
  auto detection = init::detect(dir, o.entry);
  auto files = init::render(detection, {o.base_image, o.port});

  // All or nothing: refuse before writing anything, so a half-initialised
  // directory never mixes old and new files.
  std::vector<std::string> existing;
  for (const auto& f : files) {
    std::error_code ec;
    if (fs::exists(dir / f.path, ec)) existing.push_back(f.path);
  }
  if (!existing.empty() && !o.force && !dry_run) {
    std::string names;
    for (const auto& e : existing) names += (names.empty() ? "" : ", ") + e;
    throw Error(ErrorKind::Usage, names + (existing.size() == 1 ? " already exists" : " already exist") + " in " +
                                      dir.string() + "; berth init --force overwrites, --dry-run shows what it would write");
  }

  std::cout << "Detected a " << init::to_string(detection.kind) << " (";
  for (size_t i = 0; i < detection.evidence.size(); ++i) std::cout << (i ? ", " : "") << detection.evidence[i];
  std::cout << ")\n";
  for (const auto& f : files) {
    bool exists = std::find(existing.begin(), existing.end(), f.path) != existing.end();
    const char* verb = dry_run ? (exists ? "would overwrite" : "would write") : (exists ? "overwrote" : "wrote");
    if (!dry_run) write_file(dir / f.path, f);
    std::cout << "  " << verb << " " << (dir / f.path).lexically_normal().string() << "\n";
  }
  if (dry_run) return;
  auto variable = init::base_image_variable(detection.kind);
  std::cout << "\nNext (in " << dir.string() << "):\n"
            << "  berth --env dev up -d --build --wait    your source mounted, runs as you, + the shell sidecar\n"
            << "  berth up -d --build --wait              production settings\n"
            << "  berth audit                             what the security policy checks\n"
            << "Without a registry: export " << variable << "=" << init::local_base_image(detection.kind)
            << " (berth's scripts/base_images.sh makes it)\n";
}


}  // namespace berth::service
