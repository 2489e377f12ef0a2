#pragma once
// compose's `extends`:
//
//   services:
//     web:
//       extends: base                 # same file
//     api:
//       extends: {service: app, file: common.yaml}   # another file
//
// The extended service is merged under the extending one with merge.h's
// rules (the extending service wins; `!reset` / `!override` honoured).
// Chains (a extends b extends c) are resolved bottom-up; a cycle is an error
// naming it ("a -> b -> a"). `file:` is relative to the extending file's
// directory and read with the same environment (through DocumentReader).
// Relative paths in a service taken from another file (build.context,
// build.additional_contexts, env_file, label_file, bind-volume sources,
// extends.file) are made absolute against THAT file's directory when copied.
// Everything is inherited, depends_on, links and volumes_from included (the
// current spec's "restrictions" only say the referenced resources must
// exist; docker compose inherits them too).
// Errors (ErrorKind::Config) carry the position of the `extends` value:
// unknown service, unreadable file, malformed extends, cycles.
//
// Order (compose-go's, followed by load()): per file, after merge keys,
// interpolation and resolve_includes (include.h): resolve_extends; then
// merge_all (merge.h) over the files. A service therefore extends one of its
// own file (or of `extends.file`), never one of another -f file. The
// extending service's own `!reset` / `!override` attributes stay tagged in
// the result, so that merging the file onto earlier ones applies them there
// too. (merge_all also keeps the tags of services whose extends is still
// pending, so merging first and resolving extends afterwards agrees, but
// load() does not rely on that.)
#include <functional>
#include <string>

#include "berth/loader/environment.h"
#include "node.h"

namespace berth::loader {

class Diagnostics;

// Reads one compose file (absolute path) into a single document: the file's
// documents merged in order, merge keys applied, interpolated with the
// environment the reader was made for.
using DocumentReader = std::function<Node(const std::string& absolute_path)>;

// A DocumentReader built on front's reader: read_yaml_file, apply_merge_keys,
// and interpolate with `env` unless `interpolate` is false. Warnings go to
// `diagnostics`, which must outlive the reader.
DocumentReader make_document_reader(Environment env, Diagnostics& diagnostics,
                                    bool interpolate = true);

// Resolves `extends` in every service of `document`, in place; afterwards no
// service has an `extends` key. `file` is the absolute path `document` was
// read from (marks and relative `file:` use it); `read` loads other files.
void resolve_extends(Node& document, const std::string& file, const DocumentReader& read);

// Makes the relative paths of one service definition absolute against
// `base_dir` (see the list above). Used by extends and include.
void absolutize_service_paths(Node& service, const std::string& base_dir);

// The same for a whole document: every service, plus the `file:` of
// top-level secrets and configs and `env_file` of top-level models.
void absolutize_document_paths(Node& document, const std::string& base_dir);

}  // namespace berth::loader
