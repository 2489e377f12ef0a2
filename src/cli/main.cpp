#include "cli/app.h"
#include "cli/process_heap.h"

int main(int argc, char** argv) {
  berth::cli::prefer_large_heap_pages();
  return berth::cli::run(argc, argv);
}
