#include "berth/loader/diagnostics.h"

namespace berth::loader {

std::string format_at(const SourceMark& mark, std::string_view message) {
  // Line-oriented files (.env) have no column: say "file:line".
  std::string where = mark.known() && mark.column <= 0
                          ? mark.file + ":" + std::to_string(mark.line)
                          : mark.to_string();
  if (where.empty()) return std::string(message);
  where += ": ";
  where += message;
  return where;
}

Error config_error(const SourceMark& mark, std::string_view message) {
  return Error(ErrorKind::Config, format_at(mark, message));
}

std::string Diagnostic::to_string() const { return format_at(mark, message); }

void Diagnostics::warn(std::string message, SourceMark mark) {
  warnings_.push_back(Diagnostic{std::move(mark), std::move(message)});
}

bool Diagnostics::warn_once(const std::string& key, std::string message, SourceMark mark) {
  if (!once_keys_.insert(key).second) return false;
  warn(std::move(message), std::move(mark));
  return true;
}

bool Diagnostics::contains(std::string_view needle) const {
  for (const auto& w : warnings_)
    if (w.message.find(needle) != std::string::npos) return true;
  return false;
}

}  // namespace berth::loader
