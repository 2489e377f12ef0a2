#pragma once
// BuildKit's progress message, moby.buildkit.v1.StatusResponse (see
// src/builder/proto/buildkit_status.proto for the fields and their numbers),
// decoded from the protobuf wire format by hand: the few fields berth shows,
// without linking the protobuf runtime into every berth command (its static
// initialisation alone doubled berth's start-up time). The unit tests encode
// their messages with the code protoc generates from that .proto.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace berth::builder::trace {

struct Vertex {
  std::string digest;
  std::string name;
  bool cached = false;
  std::optional<std::int64_t> started_ns;    // since the epoch
  std::optional<std::int64_t> completed_ns;
  std::string error;
};

struct VertexStatus {
  std::string id;
  std::string vertex;
  std::string name;
  std::int64_t current = 0;
  std::int64_t total = 0;
  std::optional<std::int64_t> completed_ns;
};

struct VertexLog {
  std::string vertex;
  std::int64_t timestamp_ns = 0;
  std::string msg;
};

struct StatusResponse {
  std::vector<Vertex> vertexes;
  std::vector<VertexStatus> statuses;
  std::vector<VertexLog> logs;
};

// nullopt when `bytes` is not a well-formed message (fields berth does not
// read are skipped, as protobuf parsers do).
std::optional<StatusResponse> decode_status(std::string_view bytes);

}  // namespace berth::builder::trace
