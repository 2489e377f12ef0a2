#include "berth/util/error.h"

namespace berth {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Usage: return "usage";
    case ErrorKind::Config: return "config";
    case ErrorKind::Policy: return "policy";
    case ErrorKind::NotFound: return "not found";
    case ErrorKind::Conflict: return "conflict";
    case ErrorKind::InUse: return "in use";
    case ErrorKind::Ambiguous: return "ambiguous";
    case ErrorKind::Engine: return "engine";
    case ErrorKind::EngineUnavailable: return "engine unavailable";
    case ErrorKind::Io: return "io";
    case ErrorKind::Interrupted: return "interrupted";
    case ErrorKind::Internal: return "internal";
  }
  return "unknown";
}

Error::Error(ErrorKind kind, std::string message)
    : std::runtime_error(""), kind_(kind), message_(std::move(message)) {
  refresh_what();
}

Error& Error::add_context(std::string outer) {
  context_.insert(context_.begin(), std::move(outer));
  refresh_what();
  return *this;
}

void Error::refresh_what() {
  what_.clear();
  for (const auto& c : context_) {
    what_ += c;
    what_ += ": ";
  }
  what_ += message_;
}

std::string SourceMark::to_string() const {
  std::string out = file;
  if (!known()) return out;
  // Appends, not operator+: g++ 12 warns falsely (-Wrestrict) on the chained form.
  out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  return out;
}

}  // namespace berth
