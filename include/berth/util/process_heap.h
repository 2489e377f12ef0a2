#pragma once
// The heap set-up `main` does before anything else (see the .cpp for why).

namespace berth {

// Call first thing in main: makes the heap grow in large steps backed by
// transparent huge pages where the kernel offers them on request.
void prefer_large_heap_pages();

}  // namespace berth
