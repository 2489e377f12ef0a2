#include "buildkit_trace.h"

namespace berth::builder::trace {
namespace {

// A reader over one message's bytes; any malformation makes it fail for good.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  bool done() const { return failed_ || pos_ >= bytes_.size(); }
  bool failed() const { return failed_; }

  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) break;
      auto byte = static_cast<unsigned char>(bytes_[pos_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return value;
    }
    failed_ = true;
    return 0;
  }

  std::string_view bytes() {
    std::uint64_t size = varint();
    if (failed_ || size > bytes_.size() - pos_) {
      failed_ = true;
      return {};
    }
    auto out = bytes_.substr(pos_, size);
    pos_ += size;
    return out;
  }

  // The next field: its number and wire type (0 when done or failed).
  bool next(std::uint32_t& field, std::uint32_t& type) {
    if (done()) return false;
    std::uint64_t key = varint();
    field = static_cast<std::uint32_t>(key >> 3);
    type = static_cast<std::uint32_t>(key & 7);
    return !failed_ && field != 0;
  }

  void skip(std::uint32_t type) {
    switch (type) {
      case 0: varint(); break;
      case 1: advance(8); break;
      case 2: bytes(); break;
      case 5: advance(4); break;
      default: failed_ = true;
    }
  }

 private:
  void advance(std::size_t n) {
    if (n > bytes_.size() - pos_) failed_ = true;
    else pos_ += n;
  }

  std::string_view bytes_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

// google.protobuf.Timestamp {seconds = 1, nanos = 2}
std::optional<std::int64_t> timestamp(std::string_view bytes, bool& ok) {
  Reader r(bytes);
  std::int64_t seconds = 0, nanos = 0;
  std::uint32_t field, type;
  while (r.next(field, type)) {
    if (field == 1 && type == 0) seconds = static_cast<std::int64_t>(r.varint());
    else if (field == 2 && type == 0) nanos = static_cast<std::int64_t>(r.varint());
    else r.skip(type);
  }
  // Seconds beyond about the year 2262 do not fit in nanoseconds: not a
  // timestamp BuildKit sends, so the message is malformed.
  std::int64_t ns = 0;
  if (__builtin_mul_overflow(seconds, std::int64_t{1000000000}, &ns) || __builtin_add_overflow(ns, nanos, &ns)) {
    ok = false;
    return std::nullopt;
  }
  ok = ok && !r.failed();
  return ns;
}

Vertex vertex(std::string_view bytes, bool& ok) {
  Reader r(bytes);
  Vertex v;
  std::uint32_t field, type;
  while (r.next(field, type)) {
    if (type == 2 && field == 1) v.digest = r.bytes();
    else if (type == 2 && field == 3) v.name = r.bytes();
    else if (type == 0 && field == 4) v.cached = r.varint() != 0;
    else if (type == 2 && field == 5) v.started_ns = timestamp(r.bytes(), ok);
    else if (type == 2 && field == 6) v.completed_ns = timestamp(r.bytes(), ok);
    else if (type == 2 && field == 7) v.error = r.bytes();
    else r.skip(type);
  }
  ok = ok && !r.failed();
  return v;
}

VertexStatus vertex_status(std::string_view bytes, bool& ok) {
  Reader r(bytes);
  VertexStatus s;
  std::uint32_t field, type;
  while (r.next(field, type)) {
    if (type == 2 && field == 1) s.id = r.bytes();
    else if (type == 2 && field == 2) s.vertex = r.bytes();
    else if (type == 2 && field == 3) s.name = r.bytes();
    else if (type == 0 && field == 4) s.current = static_cast<std::int64_t>(r.varint());
    else if (type == 0 && field == 5) s.total = static_cast<std::int64_t>(r.varint());
    else if (type == 2 && field == 8) s.completed_ns = timestamp(r.bytes(), ok);
    else r.skip(type);
  }
  ok = ok && !r.failed();
  return s;
}

VertexLog vertex_log(std::string_view bytes, bool& ok) {
  Reader r(bytes);
  VertexLog l;
  std::uint32_t field, type;
  while (r.next(field, type)) {
    if (type == 2 && field == 1) l.vertex = r.bytes();
    else if (type == 2 && field == 2) l.timestamp_ns = timestamp(r.bytes(), ok).value_or(0);
    else if (type == 2 && field == 4) l.msg = r.bytes();
    else r.skip(type);
  }
  ok = ok && !r.failed();
  return l;
}

}  // namespace

std::optional<StatusResponse> decode_status(std::string_view bytes) {
  Reader r(bytes);
  StatusResponse out;
  bool ok = true;
  std::uint32_t field, type;
  while (r.next(field, type)) {
    if (type == 2 && field == 1) out.vertexes.push_back(vertex(r.bytes(), ok));
    else if (type == 2 && field == 2) out.statuses.push_back(vertex_status(r.bytes(), ok));
    else if (type == 2 && field == 3) out.logs.push_back(vertex_log(r.bytes(), ok));
    else r.skip(type);
  }
  if (r.failed() || !ok) return std::nullopt;
  return out;
}

}  // namespace berth::builder::trace
