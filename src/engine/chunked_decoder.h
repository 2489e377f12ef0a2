#pragma once
// Incremental decoder for HTTP/1.1 chunked transfer encoding: bytes may
// arrive split at any point; the decoded payload is appended as it arrives.
#include <cstdint>
#include <string>
#include <string_view>

namespace berth::engine {

class ChunkedDecoder {
 public:
  // Decodes as much of `input` as belongs to the body, appending payload to
  // `out`. Returns how many bytes were consumed: all of them, except bytes that
  // follow the end of the body. Throws berth::Error on malformed framing.
  size_t feed(std::string_view input, std::string& out);

  // True once the last chunk and the trailer have been read.
  bool done() const { return state_ == State::Done; }

 private:
  enum class State {
    SizeFirstDigit,
    Size,
    SizeLineRest,  // chunk extensions, then CRLF
    Data,
    DataCR,
    DataLF,
    TrailerLineStart,
    TrailerLine,
    TrailerEndLF,
    Done,
  };
  State state_ = State::SizeFirstDigit;
  std::uint64_t chunk_size_ = 0;
  int size_digits_ = 0;
  std::uint64_t remaining_ = 0;
};

}  // namespace berth::engine
