// `berth images`: the images the project's containers were created from, as
// `docker compose images` lists them.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "berth/engine/engine.h"
#include "berth/model/labels.h"
#include "berth/model/project.h"
#include "berth/service/listing.h"
#include "berth/util/error.h"
#include "project_loading.h"
#include "session.h"
#include "berth/ui/container_format.h"
#include "berth/ui/table.h"
#include "berth/util/rfc3339.h"

namespace berth::service {
namespace {

struct ImageFacts {
  std::int64_t size = 0;
  std::string created;        // RFC 3339, "" when unknown
  std::string last_tag_time;  // "" when never tagged or unknown
  std::string platform;       // "linux/amd64"
};

ImageFacts facts_of(engine::Engine& engine, const std::string& image_id) {
  ImageFacts facts;
  nlohmann::json inspect;
  try {
    inspect = engine.inspect_image(image_id);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::NotFound) return facts;  // removed under a container: the ID is all there is
    throw;
  }
  facts.size = inspect.value("Size", std::int64_t{0});
  facts.created = inspect.value("Created", "");
  auto tagged = inspect.value(nlohmann::json::json_pointer("/Metadata/LastTagTime"), std::string());
  if (!tagged.starts_with("0001-01-01")) facts.last_tag_time = tagged;
  facts.platform = inspect.value("Os", "") + "/" + inspect.value("Architecture", "");
  if (auto variant = inspect.value("Variant", ""); !variant.empty()) facts.platform += "/" + variant;
  return facts;
}

std::string short_id(const std::string& id) {
  auto colon = id.find(':');
  return (colon == std::string::npos ? id : id.substr(colon + 1)).substr(0, 12);
}

}  // namespace

void images(const GlobalOptions& global, const ImagesOptions& o) {
  if (o.format != "table" && o.format != "json")
    throw Error(ErrorKind::Usage, "unsupported --format \"" + o.format + "\": use table or json");
  auto project = load_project(global, o.services, ProjectFiles::Optional);
  auto engine = connect_engine();
  engine::ListContainersOptions list;
  list.all = true;
  list.filters["label"] = {std::string(model::labels::kProject) + "=" + project.name};
  auto containers = engine->list_containers(list);
  std::set<std::string> wanted(o.services.begin(), o.services.end());
  std::erase_if(containers, [&](const engine::ContainerSummary& c) {
    auto it = c.labels.find(model::labels::kService);
    return !wanted.empty() && (it == c.labels.end() || !wanted.count(it->second));
  });
  std::sort(containers.begin(), containers.end(),
            [](const auto& a, const auto& b) { return a.name() < b.name(); });

  if (o.quiet) {
    std::set<std::string> printed;
    for (const auto& c : containers) {
      auto id = c.image_id.substr(c.image_id.find(':') == std::string::npos ? 0 : c.image_id.find(':') + 1);
      if (printed.insert(id).second) std::cout << id << "\n";
    }
    return;
  }

  std::map<std::string, ImageFacts> facts;
  for (const auto& c : containers)
    if (!facts.count(c.image_id)) facts[c.image_id] = facts_of(*engine, c.image_id);

  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (o.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& c : containers) {
      const auto& f = facts[c.image_id];
      auto name = ui::repository_and_tag(c.image);
      nlohmann::ordered_json item = {{"ID", c.image_id},       {"ContainerName", c.name()},
                                     {"Repository", name.repository}, {"Tag", name.tag},
                                     {"Platform", f.platform}, {"Size", f.size}};
      if (!f.created.empty()) item["Created"] = f.created;
      if (!f.last_tag_time.empty()) item["LastTagTime"] = f.last_tag_time;
      out.push_back(item);
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return;
  }
  std::vector<ui::TableRow> rows;
  for (const auto& c : containers) {
    const auto& f = facts[c.image_id];
    auto name = ui::repository_and_tag(c.image);
    std::string created = "N/A";
    if (auto t = parse_rfc3339(f.created); t && !f.created.empty())
      created = ui::human_duration(now - *t / 1000000000) + " ago";
    rows.push_back({c.name(), name.repository.empty() ? "<none>" : name.repository,
                    name.tag.empty() ? "<none>" : name.tag, f.platform, short_id(c.image_id), ui::human_size(f.size),
                    created});
  }
  std::cout << ui::format_table({"CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"}, rows);
}


}  // namespace berth::service
