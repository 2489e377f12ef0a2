#include "berth/util/process_heap.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstdint>

namespace berth {
namespace {

constexpr std::uintptr_t kHugePage = std::uintptr_t{2} << 20;
constexpr std::size_t kHeapStep = std::size_t{32} << 20;
constexpr std::size_t kMmapThreshold = std::size_t{4} << 20;
// Below glibc's mmap threshold (128 KiB), so blocks of this size come from
// the heap's top.
constexpr std::size_t kBlock = std::size_t{120} << 10;
// glibc's chunk header and alignment: malloc(n) takes (n + 8) rounded up to 16.
constexpr std::size_t kChunkOverhead = 8;
constexpr std::size_t kMinChunk = 32;

// Blocks taken out of the heap for good; kept reachable so leak checkers do
// not count them.
std::array<void*, 48> kept_blocks;
std::size_t kept_count = 0;

// The compiler may drop a malloc whose result looks unused: storing it in
// kept_blocks (a global) prevents that.
bool keep(std::size_t size) {
  if (kept_count == kept_blocks.size()) return false;
  void* block = malloc(size);
  if (block == nullptr) return false;
  kept_blocks[kept_count++] = block;
  return true;
}

void release_kept() {
  while (kept_count > 0) free(kept_blocks[--kept_count]);
}

std::uintptr_t heap_end() { return reinterpret_cast<std::uintptr_t>(sbrk(0)); }

// Where the heap's free top begins (malloc serves new memory from there).
std::uintptr_t top_start() { return heap_end() - mallinfo2().keepcost; }

// Takes [top_start, end) out of the heap's top for good: malloc's pieces
// never touch those pages, so they cost address space only.
void set_aside_until(std::uintptr_t end) {
  while (top_start() + kBlock + kMinChunk <= end)
    if (!keep(kBlock - kChunkOverhead)) return;
  if (top_start() + kMinChunk <= end) keep(end - top_start() - kChunkOverhead);
}

}  // namespace

// Loading a project makes a few MB of small allocations. On 4 KiB pages every
// first touch of a page is a fault: about a quarter of `berth config`'s time
// went to ~2000 of them. glibc's own switch for this (the glibc.malloc.hugetlb
// tunable) is read from the environment before main, so do its work here:
// grow the heap once by 32 MiB (virtual: only touched pages become resident),
// ask for huge pages on it, and start handing out memory at the first 2 MiB
// boundary, since only whole aligned 2 MiB pieces can be huge pages. Where
// transparent huge pages are off, madvise fails and only the growth step
// changes.
void prefer_large_heap_pages() {
  mallopt(M_TOP_PAD, static_cast<int>(kHeapStep));
  // Setting the pad also turns off glibc's sliding mmap threshold (it would
  // otherwise rise from 128 KiB as big blocks are freed): fix one, so that
  // buffers up to 4 MiB come from this heap instead of a mapping each.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThreshold));
  const std::uintptr_t before = heap_end();
  // The heap grows (by the new pad) once its free top is used up. It never
  // does under valgrind or a sanitizer, whose malloc is not glibc's.
  for (int tries = 0; heap_end() == before && tries < 8; ++tries) keep(kBlock - kChunkOverhead);
  if (heap_end() == before) return release_kept();
  const std::uintptr_t first = (top_start() + kHugePage - 1) & ~(kHugePage - 1);
  const std::uintptr_t last = heap_end() & ~(kHugePage - 1);
  if (last <= first) return;
  if (madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE) != 0) return;
  set_aside_until(first);
}

}  // namespace berth
