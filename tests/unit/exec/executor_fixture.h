#pragma once
// What the executor's and the operations' unit tests share: a progress sink
// that records what it is told, a three-service project, and a look-up in
// the fake engine's call log.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "berth/model/project.h"
#include "berth/ui/progress.h"

namespace berth::test {

class RecordingProgress : public ui::ProgressSink {
 public:
  void event(const ui::ProgressEvent& e) override {
    std::lock_guard lock(mutex_);
    events.push_back(e.resource + " " + e.status + (e.detail.empty() ? "" : " (" + e.detail + ")"));
  }
  void message(const std::string& text) override {
    std::lock_guard lock(mutex_);
    messages.push_back(text);
  }
  void finish() override { ++finished; }
  std::vector<std::string> events, messages;
  int finished = 0;

 private:
  std::mutex mutex_;
};

inline const char* kImage = "berth-local/busybox:latest";

// db (healthcheck) <- web (service_healthy), and an independent cache.
inline model::Project demo_project(const std::string& condition = "service_healthy") {
  using nlohmann::json;
  json doc = {{"name", "demo"},
              {"services",
               {{"db", {{"image", kImage}, {"networks", {{"default", nullptr}}}}},
                {"cache", {{"image", kImage}, {"networks", {{"default", nullptr}}}}},
                {"web",
                 {{"image", kImage},
                  {"networks", {{"default", nullptr}}},
                  {"depends_on", {{"db", {{"condition", condition}, {"required", true}, {"restart", false}}}}}}}}},
              {"networks", {{"default", json::object()}}}};
  return model::Project::from_json(doc, json::array());
}

inline size_t index_of(const std::vector<std::string>& calls, const std::string& call) {
  auto it = std::find(calls.begin(), calls.end(), call);
  INFO("call: " << call);
  REQUIRE(it != calls.end());
  return static_cast<size_t>(it - calls.begin());
}

}  // namespace berth::test
