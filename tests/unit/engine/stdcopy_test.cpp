#include <catch2/catch.hpp>

#include "engine/stdcopy.h"
#include "berth/util/error.h"

using berth::engine::stdcopy_frame;
using berth::engine::StdcopyDemuxer;
using berth::engine::StreamKind;

namespace {

struct Collected {
  std::string out;
  std::string err;
  std::string sequence;  // stream letters in arrival order, merged runs
  void add(StreamKind kind, std::string_view data) {
    char letter = kind == StreamKind::Stdout ? 'o' : kind == StreamKind::Stderr ? 'e' : '?';
    (kind == StreamKind::Stdout ? out : err).append(data);
    if (sequence.empty() || sequence.back() != letter) sequence += letter;
  }
};

}  // namespace

TEST_CASE("stdcopy: every split point (and every pair of split points)", "[engine][stdcopy]") {
  std::string big(70000, 'x');  // a frame length needing more than two bytes
  std::string stream = stdcopy_frame(StreamKind::Stdout, "hello\n") + stdcopy_frame(StreamKind::Stderr, "oops\n") +
                       stdcopy_frame(StreamKind::Stdout, "") + stdcopy_frame(StreamKind::Stdout, "bye\n");
  std::string with_big = stdcopy_frame(StreamKind::Stderr, big) + stdcopy_frame(StreamKind::Stdout, "end");

  SECTION("one split") {
    for (size_t split = 0; split <= stream.size(); ++split) {
      INFO("split at " << split);
      StdcopyDemuxer demuxer;
      Collected c;
      auto sink = [&](StreamKind k, std::string_view d) { c.add(k, d); };
      demuxer.feed(std::string_view(stream).substr(0, split), sink);
      demuxer.feed(std::string_view(stream).substr(split), sink);
      CHECK(c.out == "hello\nbye\n");
      CHECK(c.err == "oops\n");
      CHECK(c.sequence == "oeo");
      CHECK(demuxer.at_frame_boundary());
    }
  }
  SECTION("two splits") {
    for (size_t a = 0; a <= stream.size(); ++a) {
      for (size_t b = a; b <= stream.size(); ++b) {
        StdcopyDemuxer demuxer;
        Collected c;
        auto sink = [&](StreamKind k, std::string_view d) { c.add(k, d); };
        std::string_view view(stream);
        demuxer.feed(view.substr(0, a), sink);
        demuxer.feed(view.substr(a, b - a), sink);
        demuxer.feed(view.substr(b), sink);
        REQUIRE(c.out == "hello\nbye\n");
        REQUIRE(c.err == "oops\n");
      }
    }
  }
  SECTION("large frame, split around the header and the payload") {
    for (size_t split : {size_t{0}, size_t{1}, size_t{4}, size_t{7}, size_t{8}, size_t{9}, size_t{40000},
                         with_big.size() - 4, with_big.size()}) {
      INFO("split at " << split);
      StdcopyDemuxer demuxer;
      Collected c;
      auto sink = [&](StreamKind k, std::string_view d) { c.add(k, d); };
      demuxer.feed(std::string_view(with_big).substr(0, split), sink);
      demuxer.feed(std::string_view(with_big).substr(split), sink);
      CHECK(c.err == big);
      CHECK(c.out == "end");
    }
  }
}

TEST_CASE("stdcopy: a stream cut inside a frame is not at a boundary", "[engine][stdcopy]") {
  std::string stream = stdcopy_frame(StreamKind::Stdout, "hello");
  for (size_t cut = 1; cut < stream.size(); ++cut) {
    INFO("cut at " << cut);
    StdcopyDemuxer demuxer;
    demuxer.feed(std::string_view(stream).substr(0, cut), [](StreamKind, std::string_view) {});
    CHECK_FALSE(demuxer.at_frame_boundary());
  }
}

TEST_CASE("stdcopy: bytes that are not frames are an error", "[engine][stdcopy]") {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"plain text (a TTY stream)", "hello world\n"},
      {"unknown stream byte", std::string("\x07\0\0\0\0\0\0\x01x", 9)},
      {"non-zero padding", std::string("\x01\x01\0\0\0\0\0\x01x", 9)},
  };
  for (const auto& [name, bytes] : cases) {
    INFO(name);
    StdcopyDemuxer demuxer;
    CHECK_THROWS_AS(demuxer.feed(bytes, [](StreamKind, std::string_view) {}), berth::Error);
  }
}
