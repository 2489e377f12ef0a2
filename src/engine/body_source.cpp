#include <algorithm>
#include <memory>

#include "transport.h"

namespace berth::engine {

BodySource body_from_string(std::string data, size_t piece_size) {
  auto state = std::make_shared<std::pair<std::string, size_t>>(std::move(data), 0);
  piece_size = std::max<size_t>(piece_size, 1);
  return [state, piece_size](std::string& chunk) {
    auto& [bytes, offset] = *state;
    size_t take = std::min(piece_size, bytes.size() - offset);
    chunk.assign(bytes, offset, take);
    offset += take;
    return offset < bytes.size();
  };
}

}  // namespace berth::engine
