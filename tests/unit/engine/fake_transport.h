#pragma once
// A scripted Transport for unit tests: records each request and answers with
// the next canned response, its body delivered in the given pieces.
#include <deque>
#include <stdexcept>

#include "engine/transport.h"

namespace berth::engine::testing {

struct CannedResponse {
  ResponseHead head;
  std::vector<std::string> pieces;  // what successive read_some calls return
};

inline CannedResponse json_response(int status, std::string body) {
  CannedResponse r;
  r.head.status = status;
  r.head.headers = {{"Content-Type", "application/json"}, {"Content-Length", std::to_string(body.size())}};
  r.pieces = {std::move(body)};
  return r;
}

inline CannedResponse chunked_response(int status, std::vector<std::string> pieces) {
  CannedResponse r;
  r.head.status = status;
  r.head.headers = {{"Transfer-Encoding", "chunked"}};
  r.pieces = std::move(pieces);
  return r;
}

class FakeConnection final : public Connection {
 public:
  explicit FakeConnection(CannedResponse response) : response_(std::move(response)) {}
  const ResponseHead& head() const override { return response_.head; }
  size_t read_some(char* data, size_t size) override {
    // A real socket read returns 0 only at the end, never for an empty piece.
    while (next_ < response_.pieces.size() && response_.pieces[next_].empty()) ++next_;
    if (next_ >= response_.pieces.size()) return 0;
    auto& piece = response_.pieces[next_];
    size_t n = std::min(size, piece.size() - offset_);
    piece.copy(data, n, offset_);
    offset_ += n;
    if (offset_ == piece.size()) {
      ++next_;
      offset_ = 0;
    }
    return n;
  }
  void write(std::string_view data) override { written += data; }
  void close_write() override {}
  void cancel() override {}
  void set_read_timeout(std::optional<std::chrono::milliseconds>) override {}
  std::string written;

 private:
  CannedResponse response_;
  size_t next_ = 0;
  size_t offset_ = 0;
};

class FakeTransport final : public Transport {
 public:
  std::unique_ptr<Connection> send(const HttpRequest& request, CancelToken*) override {
    requests.push_back(request);
    if (responses.empty()) throw std::logic_error("no canned response for " + request.target);
    auto response = std::move(responses.front());
    responses.pop_front();
    return std::make_unique<FakeConnection>(std::move(response));
  }
  const EngineAddress& address() const override { return address_; }

  std::deque<CannedResponse> responses;
  std::vector<HttpRequest> requests;

 private:
  EngineAddress address_ = parse_docker_host("unix:///fake.sock");
};

inline CannedResponse ping_response(const std::string& api_version) {
  CannedResponse r;
  r.head.status = 200;
  r.head.headers = {{"Api-Version", api_version}, {"Content-Length", "2"}};
  r.pieces = {"OK"};
  return r;
}

}  // namespace berth::engine::testing
