#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "berth/cli/global_options.h"
#include "berth/loader/diagnostics.h"
#include "berth/loader/load.h"
#include "berth/model/output.h"
#include "berth/policy/audit.h"
#include "berth/policy/findings_format.h"
#include "berth/ui/table.h"
#include "berth/util/error.h"
#include "cli/app.h"
#include "cli/security_policy.h"

namespace berth::cli {
namespace {

struct AuditOptions {
  std::string format = "table";
  std::string fail_on;
};

void print_warnings(const loader::Diagnostics& diagnostics) {
  for (const auto& w : diagnostics.warnings()) std::cerr << "WARN[0000] " << w.to_string() << "\n";
}

std::string location(const policy::Finding& f, const std::string& base_dir) {
  std::string file = policy::display_file(f.mark.file, base_dir);
  if (f.mark.line > 0) file += ":" + std::to_string(f.mark.line);
  return file;
}

std::string references(const policy::Finding& f) {
  std::string out = f.cis.empty() ? "" : "CIS " + f.cis;
  if (!f.owasp.empty()) out += (out.empty() ? "OWASP " : ", OWASP ") + f.owasp;
  return out;
}

std::string table(const std::vector<policy::Finding>& findings, const std::string& base_dir) {
  std::vector<ui::TableRow> rows;
  size_t open = 0;
  for (const auto& f : findings) {
    open += f.mitigated ? 0 : 1;
    rows.push_back({policy::to_string(f.severity), f.mitigated ? "mitigated" : "open", f.id, f.service,
                    location(f, base_dir), references(f), f.message});
  }
  std::string out = ui::format_table({"SEVERITY", "STATUS", "ID", "SERVICE", "LOCATION", "REFERENCE", "MESSAGE"}, rows);
  out += "\n" + std::to_string(findings.size()) + " findings, " + std::to_string(open) +
         " open (not mitigated by the security level); --format json shows how to fix each\n";
  return out;
}

void run_audit(const AuditOptions& o, const GlobalOptions& global, int& exit_code) {
  std::optional<policy::Severity> threshold;
  if (!o.fail_on.empty()) threshold = policy::parse_severity(o.fail_on);
  // The project as written: `up` applies the policy before creating
  // containers, the audit compares the two itself.
  loader::Diagnostics diagnostics;
  model::Project project;
  try {
    project = loader::load(global.project, diagnostics);
  } catch (...) {
    print_warnings(diagnostics);
    throw;
  }
  print_warnings(diagnostics);
  auto findings = policy::audit(project, policy_options(global, project));
  if (o.format == "json")
    std::cout << model::to_json_text(policy::findings_json(findings, project.working_dir)) << "\n";
  else if (o.format == "sarif")
    std::cout << model::to_json_text(policy::findings_sarif(findings, project.working_dir)) << "\n";
  else
    std::cout << table(findings, project.working_dir);
  if (threshold && policy::count_failing(findings, *threshold) > 0) exit_code = 1;
}

}  // namespace

void register_audit(CLI::App& app, CommandContext& ctx) {
  auto* cmd = app.add_subcommand("audit", "Report the security findings of the project, with references and fixes");
  auto o = std::make_shared<AuditOptions>();
  cmd->add_option("--format", o->format, "Output format: table, json or sarif")
      ->check(CLI::IsMember({"table", "json", "sarif"}));
  cmd->add_option("--fail-on", o->fail_on, "Exit with 1 when an open finding has this severity or higher")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  GlobalOptions* global = &ctx.global;
  int* exit_code = &ctx.exit_code;
  cmd->callback([o, global, exit_code] { run_audit(*o, *global, *exit_code); });
}

}  // namespace berth::cli
