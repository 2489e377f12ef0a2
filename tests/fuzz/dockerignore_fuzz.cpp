// .dockerignore patterns, then paths matched against them: the input's
// first part is the file, the second a path a line.
#include <sstream>

#include "berth/builder/dockerignore.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(dockerignore) {
  auto parts = berth::fuzz::split_parts(input, 2);
  berth::fuzz::fuzz_guard([&] {
    berth::builder::IgnoreMatcher matcher(berth::builder::parse_dockerignore(parts[0]));
    std::istringstream paths(parts[1].empty() ? std::string("a/b/c.py\nnode_modules\n.git/HEAD") : parts[1]);
    std::string path;
    while (std::getline(paths, path)) {
      (void)matcher.excluded(path);
      (void)matcher.may_reinclude_below(path);
    }
  });
}
