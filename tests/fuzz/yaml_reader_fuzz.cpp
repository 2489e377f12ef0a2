// The YAML reader: anchors, aliases, merge keys, tags, limits on size, depth
// and alias expansion.
#include "fuzz_target.h"
#include "loader/yaml_reader.h"

BERTH_FUZZ_TARGET(yaml_reader) {
  berth::fuzz::fuzz_guard([&] { berth::loader::read_yaml_documents(input, "fuzz.yaml"); });
}
