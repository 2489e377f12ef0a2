#pragma once
// Layering compose documents by the compose-spec merge rules (13-merge.md,
// compose-go's `override` package): the override files given after the first
// one, the documents of a multi-document file, and an extending service over
// the service it extends (extends.h).
//
//  - mappings merge recursively; a scalar in the overlay replaces the base;
//    an `x-*` extension key is replaced as a whole, never merged;
//  - sequences are appended (base first);
//  - replaced as a whole: command, entrypoint, healthcheck.test;
//  - key/value families (environment, labels, annotations, sysctls,
//    build.args, build.labels, deploy.labels, ...) merge by key whatever
//    form each side uses (`A=1` list items vs `A: 1` mapping entries): the
//    result is a mapping unless both sides are lists;
//  - sequences with an identity merge by it, the overlay's item replacing
//    the base's in place: ports (host_ip, published, target, protocol, short
//    and long syntax compared alike), volumes (container path), devices
//    (container path), secrets and configs (target path), env_file (path),
//    expose, dns, dns_search, dns_opt, tmpfs (path), cap_add, cap_drop,
//    security_opt, profiles, links, external_links, extra_hosts, ...;
//  - depends_on and networks: list and mapping forms merge by name;
//  - build: `build: dir` is merged as `build: {context: dir}`;
//  - logging: options merge only while the driver stays the same;
//  - ulimits: a mapping form replaces a number form and vice versa;
//  - `!reset` in the overlay removes the attribute from the result,
//    `!override` replaces it instead of merging.
//
// Every node of the result keeps the source mark of where it was written,
// so later stages still report file:line:col.
#include <vector>

#include "node.h"

namespace berth::loader {

// Merges `overlay` (a whole compose document) onto `base`. `!reset` /
// `!override` tags are resolved and cleared in the result.
Node merge_documents(const Node& base, const Node& overlay);

// Folds documents in order (first is the base); the result of two or more
// documents has no `!reset` / `!override` tags left, except on the
// attributes of services whose `extends` is not resolved yet: those are kept
// (combined when several layers touch the attribute, e.g. a reset attribute
// set again becomes `!override`) so that resolve_extends applies them to the
// extended service. Merging then resolving extends thus gives what compose-go
// gives by resolving each file's extends first.
// A single document is returned as it is, tags kept, so that a file's tags
// still apply when that result is merged again or its extends are resolved
// later; call strip_merge_tags on the final document (compose-go drops a
// lone file's `!reset` nodes). An empty vector gives an empty mapping.
Node merge_all(std::vector<Node> documents);

// Merges one service definition onto another (used by extends): the same
// rules as for `services.<name>` in merge_documents.
Node merge_services(const Node& base, const Node& overlay);

// Drops `!reset` nodes and clears `!override` tags everywhere in `doc`.
void strip_merge_tags(Node& doc);

// True when the two trees have the same kinds, keys (in any order for
// mappings), items and scalar texts; marks, styles and tags are ignored.
// Used to accept an included resource defined identically twice.
bool same_content(const Node& a, const Node& b);

}  // namespace berth::loader
