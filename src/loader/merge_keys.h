#pragma once
// YAML merge keys (`<<`), applied to a tree read by yaml_reader (aliases are
// already expanded into copies there).
//
//   x-base: &base {image: busybox, restart: always}
//   services:
//     web:
//       <<: [*base, *other]   # earlier mappings win over later ones
//       restart: "no"         # explicit keys win over merged ones
//
// The value of `<<` must be a mapping or a sequence of mappings, otherwise
// config_error at the value's position. Merges nested inside merged maps are
// resolved first. Merged entries keep their original source marks; they are
// inserted where the `<<` key was written, explicit entries keep their place.
#include "node.h"

namespace berth::loader {

// Applies every merge key in `root`, recursively, in place.
void apply_merge_keys(Node& root);

}  // namespace berth::loader
