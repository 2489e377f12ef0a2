#include "berth/util/process_heap.h"

#include <malloc.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace {

bool in_heap(const void* block) {
  const auto address = reinterpret_cast<std::uintptr_t>(block);
  const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  return address < end && address + mallinfo2().arena >= end;
}

}  // namespace

TEST_CASE("after prefer_large_heap_pages the heap serves blocks of up to 4 MiB and grows in 32 MiB steps",
          "[process_heap]") {
  const auto heap_before = mallinfo2().arena;
  berth::prefer_large_heap_pages();
  // Under valgrind or a sanitizer malloc is not glibc's: nothing to check.
  if (mallinfo2().arena == heap_before) return;
  CHECK(mallinfo2().arena >= heap_before + (std::size_t{30} << 20));

  // A block glibc would otherwise map on its own (over 128 KiB) comes from
  // the heap, whose pages may be huge.
  void* large = std::malloc(std::size_t{1} << 20);
  CHECK(in_heap(large));
  std::free(large);

  // Many small blocks still work, and free gives them back.
  std::vector<void*> blocks;
  for (int i = 0; i < 10000; ++i) blocks.push_back(std::malloc(static_cast<std::size_t>(16 + i % 300)));
  int missing = 0;
  for (void* block : blocks) {
    if (block == nullptr) ++missing;
    std::free(block);
  }
  CHECK(missing == 0);
}
