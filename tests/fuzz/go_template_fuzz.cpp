// --format templates (the Go text/template subset), parsed and rendered.
#include <nlohmann/json.hpp>

#include "berth/ui/go_template.h"
#include "fuzz_target.h"

BERTH_FUZZ_TARGET(go_template) {
  berth::fuzz::fuzz_guard([&] {
    berth::ui::GoTemplate tmpl(input, {"Name", "Image", "Status", "Ports"});
    nlohmann::ordered_json header = {{"Name", "NAME"}, {"Image", "IMAGE"}, {"Status", "STATUS"}, {"Ports", "PORTS"}};
    nlohmann::ordered_json row = {{"Name", "web-1"}, {"Image", "python:3.11"}, {"Status", "Up"},
                                  {"Ports", nlohmann::ordered_json::array({"8000/tcp"})}};
    berth::ui::render_rows(tmpl, header, {row, row});
  });
}
