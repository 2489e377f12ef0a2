#pragma once
// One fuzz target, compiled two ways:
// - with BERTH_LIBFUZZER (scripts/fuzz.sh, clang -fsanitize=fuzzer): the
//   body is libFuzzer's LLVMFuzzerTestOneInput, one target per executable;
// - otherwise (the normal build): the body is replayed on the target's
//   corpus (tests/fuzz/corpus/<name>, the seed directories of
//   tests/fuzz/seeds.txt and the minimized findings in tests/data/fuzz/<name>)
//   by a unit test "fuzz corpus: <name>", so every finding stays fixed.
//
// A body feeds the bytes to berth's own code. berth::Error is what bad input
// must produce and is swallowed by fuzz_guard(); anything else escaping the
// body (another exception type, an Internal error, a crash, a sanitizer
// report) is a finding.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>
#include <string>
#include <string_view>

#include "berth/util/error.h"

namespace berth::fuzz {

using Body = std::function<void(std::string_view input)>;

// Runs `body`, swallowing the errors bad input may produce. An Internal
// error is a bug in berth: rethrown.
inline void fuzz_guard(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::Internal) throw;
  }
}

// Stream readers get their bytes in pieces of any size: the input's first
// byte picks the piece size ((byte % steps + 1) * step), and `feed` gets the
// rest of the input piece by piece.
inline void feed_in_pieces(std::string_view input, size_t steps, size_t step,
                           const std::function<void(std::string_view)>& feed) {
  if (input.empty()) return;
  const size_t piece = (static_cast<unsigned char>(input[0]) % steps + 1) * step;
  for (input.remove_prefix(1); !input.empty(); input.remove_prefix(std::min(piece, input.size())))
    feed(input.substr(0, piece));
}

// Splits an input into up to `count` parts at lines "#~~~" (the loader
// target's files). Missing parts are empty.
std::vector<std::string> split_parts(std::string_view input, size_t count);

// The replay unit test's work (replay.cpp): every file of the target's corpus.
void replay_corpus(const std::string& target, const Body& body);

}  // namespace berth::fuzz

#if defined(BERTH_LIBFUZZER)
#define BERTH_FUZZ_TARGET(name)                                                  \
  static void berth_fuzz_##name(std::string_view input);                        \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) { \
    berth_fuzz_##name(std::string_view(reinterpret_cast<const char*>(data), size)); \
    return 0;                                                                    \
  }                                                                              \
  static void berth_fuzz_##name(std::string_view input)
#else
#include <catch2/catch.hpp>
#define BERTH_FUZZ_TARGET(name)                                           \
  static void berth_fuzz_##name(std::string_view input);                 \
  TEST_CASE("fuzz corpus: " #name, "[fuzz]") {                           \
    berth::fuzz::replay_corpus(#name, berth_fuzz_##name);                 \
  }                                                                       \
  static void berth_fuzz_##name(std::string_view input)
#endif
