#include "service/project_logs.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "../exec/fake_engine.h"
#include "berth/engine/cancel_token.h"
#include "berth/model/labels.h"
#include "berth/ui/log_printer.h"

using berth::service::ProjectLogsRequest;
using berth::service::stream_project_logs;
namespace engine = berth::engine;
namespace ui = berth::ui;

namespace {

// What happened, in order: "listed", "logs <name>", and the printed bytes.
struct Journal {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> entries;
  void add(std::string entry) {
    std::lock_guard lock(mutex);
    entries.push_back(std::move(entry));
    changed.notify_all();
  }
  bool has(const std::string& entry) {
    return std::find(entries.begin(), entries.end(), entry) != entries.end();
  }
};

struct JournalOutput : ui::LogOutput {
  Journal& journal;
  explicit JournalOutput(Journal& j) : journal(j) {}
  void write(ui::LogStream, std::string_view bytes) override { journal.add(std::string(bytes)); }
};

// The engine of a project with one container, hello-1, that printed "hello"
// and exited. Its start event is delivered at once, and the container list
// answers only once the container's logs were asked for (or after 300 ms):
// the order in which a busy engine may answer.
class EventFirstEngine : public berth::test::FakeEngine {
 public:
  explicit EventFirstEngine(Journal& journal) : journal_(journal) {
    auto& c = add_container("demo-hello-1",
                            {{berth::model::labels::kProject, "demo"}, {berth::model::labels::kService, "hello"}},
                            "exited");
    id_ = c.id;
  }

  void events(const engine::EventsOptions&, const engine::EventSink& sink, engine::CancelToken* cancel) override {
    engine::Event start;
    start.type = "container";
    start.action = "start";
    start.actor_id = id_;
    start.attributes = {{"name", "demo-hello-1"},
                        {berth::model::labels::kProject, "demo"},
                        {berth::model::labels::kService, "hello"}};
    start.time_nano = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    if (!sink(start)) return;
    while (!cancel->cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  std::vector<engine::ContainerSummary> list_containers(const engine::ListContainersOptions& options) override {
    std::unique_lock lock(journal_.mutex);
    journal_.changed.wait_for(lock, std::chrono::milliseconds(300), [&] { return journal_.has("logs"); });
    lock.unlock();
    return FakeEngine::list_containers(options);
  }

  void container_logs(const std::string&, const engine::LogsOptions&, const engine::LogSink& sink,
                      engine::CancelToken*) override {
    journal_.add("logs");
    sink(engine::StreamKind::Stdout, "hello\n");
  }

 private:
  Journal& journal_;
  std::string id_;
};

}  // namespace

TEST_CASE("attached up: a container whose start event comes before the list is shown after \"Attaching to\"",
          "[project_logs]") {
  Journal journal;
  EventFirstEngine engine(journal);
  JournalOutput output(journal);
  ui::LogPrinter printer(output, ui::LogPrinterOptions{});
  ProjectLogsRequest request;
  request.project = "demo";
  request.services = {"hello"};
  request.watched = std::vector<std::string>{"hello"};
  request.logs.follow = true;
  request.on_listed = [&](const std::vector<std::string>& names) {
    CHECK(names.size() == 1);
    journal.add("listed");
  };
  stream_project_logs(engine, request, printer);

  std::lock_guard lock(journal.mutex);
  const auto listed = std::find(journal.entries.begin(), journal.entries.end(), "listed");
  const auto logs = std::find(journal.entries.begin(), journal.entries.end(), "logs");
  REQUIRE(listed != journal.entries.end());
  REQUIRE(logs != journal.entries.end());
  CHECK(listed < logs);
  // Streamed once, not once for the event and once for the list.
  CHECK(std::count(journal.entries.begin(), journal.entries.end(), "logs") == 1);
}
