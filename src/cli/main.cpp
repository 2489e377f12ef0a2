#include "app.h"
#include "berth/util/process_heap.h"

int main(int argc, char** argv) {
  berth::prefer_large_heap_pages();
  return berth::cli::run(argc, argv);
}
