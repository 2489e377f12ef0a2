#include "chunked_decoder.h"

#include <algorithm>

#include "berth/util/error.h"

namespace berth::engine {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[noreturn]] void malformed(const std::string& why) {
  throw Error(ErrorKind::Engine, "malformed chunked response from the Docker engine: " + why);
}

}  // namespace

size_t ChunkedDecoder::feed(std::string_view input, std::string& out) {
  size_t i = 0;
  while (i < input.size() && state_ != State::Done) {
    char c = input[i];
    switch (state_) {
      case State::SizeFirstDigit:
      case State::Size: {
        int digit = hex_value(c);
        if (digit >= 0) {
          // 15 hex digits is far beyond any real chunk and cannot overflow.
          if (++size_digits_ > 15) malformed("chunk size too large");
          chunk_size_ = chunk_size_ * 16 + static_cast<unsigned>(digit);
          state_ = State::Size;
        } else if (state_ == State::SizeFirstDigit) {
          malformed("expected a hexadecimal chunk size");
        } else if (c == ';' || c == '\r' || c == ' ' || c == '\t') {
          state_ = State::SizeLineRest;
          continue;  // look at this byte again in SizeLineRest
        } else if (c == '\n') {
          state_ = State::SizeLineRest;
          continue;
        } else {
          malformed("unexpected character in chunk size");
        }
        ++i;
        break;
      }
      case State::SizeLineRest:
        if (c == '\n') {
          remaining_ = chunk_size_;
          state_ = chunk_size_ == 0 ? State::TrailerLineStart : State::Data;
          chunk_size_ = 0;
          size_digits_ = 0;
        }
        ++i;
        break;
      case State::Data: {
        size_t take = static_cast<size_t>(std::min<std::uint64_t>(remaining_, input.size() - i));
        out.append(input.data() + i, take);
        i += take;
        remaining_ -= take;
        if (remaining_ == 0) state_ = State::DataCR;
        break;
      }
      case State::DataCR:
        if (c == '\r') {
          state_ = State::DataLF;
        } else if (c == '\n') {
          state_ = State::SizeFirstDigit;
        } else {
          malformed("chunk data is longer than its size");
        }
        ++i;
        break;
      case State::DataLF:
        if (c != '\n') malformed("expected CRLF after chunk data");
        state_ = State::SizeFirstDigit;
        ++i;
        break;
      case State::TrailerLineStart:
        if (c == '\r') {
          state_ = State::TrailerEndLF;
        } else if (c == '\n') {
          state_ = State::Done;
        } else {
          state_ = State::TrailerLine;
        }
        ++i;
        break;
      case State::TrailerLine:
        if (c == '\n') state_ = State::TrailerLineStart;
        ++i;
        break;
      case State::TrailerEndLF:
        if (c != '\n') malformed("expected CRLF after the last chunk");
        state_ = State::Done;
        ++i;
        break;
      case State::Done:
        break;
    }
  }
  return i;
}

}  // namespace berth::engine
